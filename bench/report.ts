import { execFileSync } from 'node:child_process';
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
