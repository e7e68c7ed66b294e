import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, totalmem } from 'node:os';

/** A markdown table from a header row and data rows. */
export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Formats a number with a fixed number of decimals. */
export function fixed(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

/**
 * Milliseconds of a fixed workload (SHA-256 of 64 MB, then two million short-lived objects), median
 * of 5: a gauge of how fast this shared machine was while the bench ran, since the same code can
 * take 1.5 times as long in a busy hour.
 */
export function referenceWorkloadMs(): number {
  const data = Buffer.alloc(64 << 20, 7);
  const samples: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    createHash('sha256').update(data).digest();
    const recent: { index: number; text: string }[] = [];
    for (let index = 0; index < 2_000_000; index += 1) {
      recent.push({ index, text: `x${index}` });
      if (recent.length > 1000) recent.length = 0;
    }
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[2] as number;
}

/** The machine and versions the numbers came from. */
export function machineDescription(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let hugo = 'not installed';
  try {
    hugo = execFileSync('hugo', ['version'], { encoding: 'utf8' }).split(' ')[1] ?? hugo;
  } catch {}
  return [
    `- Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${process.platform}`,
    `- Node ${process.version}; Hugo ${hugo} (Debian package) for comparison`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
  ].join('\n');
}
