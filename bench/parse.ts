// Parse cost per release, as CPU time of this process (steady on a busy machine, unlike wall time),
// next to markdown-it alone on the same bodies, and releases with a raw-HTML table next to the
// same releases with the same table written in Markdown (and, for reference, cut out, or its tags
// taken out).
import MarkdownIt from 'markdown-it';
import { splitFrontMatter } from '../src/release/front-matter.js';
import { parseRelease } from '../src/release/parse.js';
import { BENCH_SITE, generateRelease } from './generate.js';
import { median } from './stats.js';

export interface ParseBench {
  releases: number;
  withTable: number;
  /** CPU ms per release: stock markdown-it `render` of the body alone. */
  markdownIt: number;
  /** CPU ms per release: `parseRelease` (decode, front matter, Markdown, sanitize, media refs). */
  ours: number;
  /**
   * CPU ms per release with a raw-HTML table; the same releases with the same table as a GFM pipe
   * table (same cells: how a release without raw HTML carries a table, the target's partner); with
   * the table cut out (its words gone too); and with its words kept but its tags taken out.
   */
  table: { with: number; markdown: number; without: number; wordsOnly: number };
}

const TABLE = /<table>[\s\S]*?<\/table>/;

/**
 * The generator's raw-HTML table (bench/generate.ts: a header row, then body rows, plain cells)
 * written as a GFM pipe table with the same cells.
 */
export function asPipeTable(html: string): string {
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row = '']) =>
    [...row.matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map(([, cell = '']) => cell),
  );
  const [head = [], ...body] = rows;
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

/** CPU milliseconds of this process (every thread) so far. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU ms per item of running `work` over `items`. */
function perItem<T>(items: readonly T[], work: (item: T) => unknown): number {
  const start = cpuMs();
  for (const item of items) work(item);
  return (cpuMs() - start) / items.length;
}

/**
 * Parses `count` generated releases (bench/generate.ts) `rounds` times after a warm-up round,
 * each way in turn, and reports the median CPU ms per release.
 */
export function benchParse(count = 3_000, rounds = 7): ParseBench {
  const encoder = new TextEncoder();
  const releases = Array.from({ length: count }, (_, index) => generateRelease(index));
  const files = releases.map(({ path, text }) => ({ path, bytes: encoder.encode(text) }));
  const bodies = releases.map(({ text }) => splitFrontMatter(text).body);
  const tabled = releases.filter(({ text }) => TABLE.test(text));
  const withTable = tabled.map(({ path, text }) => ({ path, bytes: encoder.encode(text) }));
  const markdownTable = tabled.map(({ path, text }) => ({
    path,
    bytes: encoder.encode(text.replace(TABLE, asPipeTable)),
  }));
  const withoutTable = tabled.map(({ path, text }) => ({
    path,
    bytes: encoder.encode(text.replace(TABLE, '')),
  }));
  const wordsOnly = tabled.map(({ path, text }) => ({
    path,
    bytes: encoder.encode(text.replace(TABLE, (html) => html.replace(/<[^>]*>/g, ' '))),
  }));
  const stock = new MarkdownIt({ html: true, xhtmlOut: true });
  const parse = ({ path, bytes }: { path: string; bytes: Uint8Array }) =>
    parseRelease(path, bytes, BENCH_SITE);
  const result = { markdownIt: 0, ours: 0, with: 0, markdown: 0, without: 0, wordsOnly: 0 };
  const ways: [keyof typeof result, () => number][] = [
    ['markdownIt', () => perItem(bodies, (body) => stock.render(body))],
    ['ours', () => perItem(files, parse)],
    ['with', () => perItem(withTable, parse)],
    ['markdown', () => perItem(markdownTable, parse)],
    ['without', () => perItem(withoutTable, parse)],
    ['wordsOnly', () => perItem(wordsOnly, parse)],
  ];
  for (const [, measure] of ways) measure();
  const samples = new Map(ways.map(([name]) => [name, [] as number[]]));
  // Every way takes a turn in every round, so that all meet the machine at the same speed.
  for (let round = 0; round < rounds; round++) {
    for (const [name, measure] of ways) samples.get(name)?.push(measure());
  }
  for (const [name, values] of samples) result[name] = median(values);
  return {
    releases: count,
    withTable: tabled.length,
    markdownIt: result.markdownIt,
    ours: result.ours,
    table: {
      with: result.with,
      markdown: result.markdown,
      without: result.without,
      wordsOnly: result.wordsOnly,
    },
  };
}
