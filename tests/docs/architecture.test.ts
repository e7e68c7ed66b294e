import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/architecture.md must not go stale silently: what it names exists, what exists is named,
// and its diagrams' boxes name functions the files really export.

const root = join(import.meta.dirname, '..', '..');
const page = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
const diagrams = [...page.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

/**
 * Every repository path the page names (`src/…`, `functions/…`, …), without the ones that are
 * patterns (`templates/strings/staff/<lang>.json`, `tests/fixtures/events/ses-*.json`).
 */
function namedPaths(text: string): string[] {
  const paths = new Set<string>();
  const pattern =
    /(?<![\w./-])(?:src|functions|tests|bench|scripts|templates|infra|docs)\/[\w./-]*[\w/]/g;
  for (const match of text.matchAll(pattern)) {
    const rest = text.slice((match.index ?? 0) + match[0].length);
    if (/^(?:<\w+>|\*|\{)/.test(rest)) continue;
    paths.add(match[0]);
  }
  return [...paths].sort();
}

/** A diagram box: a file path, then the exported names it stands for (`path<br/>a, b`). */
interface Box {
  id: string;
  path: string;
  symbols: string[];
}

function boxes(diagram: string): Box[] {
  return [...diagram.matchAll(/(\w+)\["((?:src|functions)\/[^"<]+)(?:<br\/>([^"]+))?"\]/g)].map(
    ([, id = '', path = '', symbols = '']) => ({
      id,
      path,
      symbols: symbols === '' ? [] : symbols.split(',').map((name) => name.trim()),
    }),
  );
}

function exports(source: string, name: string): boolean {
  return new RegExp(
    `export\\s+(?:async\\s+)?(?:function\\*?|class|const|let|interface|type)\\s+${name}\\b`,
  ).test(source);
}

describe('docs/architecture.md', () => {
  it('has a diagram of each flow, release → site and subscribe → mail', () => {
    expect(diagrams).toHaveLength(2);
    expect(page).toContain('### A release becomes the public site');
    expect(page).toContain('### A resident subscribes and gets mail');
  });

  it('names only paths that exist', () => {
    const paths = namedPaths(page);
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((path) => !existsSync(join(root, path)))).toEqual([]);
    const links = [...page.matchAll(/\]\(([\w.-]+\.md)\)/g)].map((match) => match[1] ?? '');
    expect(links.filter((link) => !existsSync(join(root, 'docs', link)))).toEqual([]);
  });

  it('names every function in functions/ in a diagram, and every folder in src/', () => {
    const drawn = diagrams.join('\n');
    const handlers = readdirSync(join(root, 'functions')).filter((name) => name.endsWith('.ts'));
    expect(handlers.length).toBeGreaterThan(0);
    expect(handlers.filter((name) => !drawn.includes(`functions/${name}`))).toEqual([]);
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const onPage = (folder: string) =>
      page.includes(`src/${folder}/`) || new RegExp(`^  ${folder}/ `, 'm').test(page);
    expect(folders.filter((folder) => !onPage(folder))).toEqual([]);
  });

  it('names, in each box, functions and classes the file really exports', () => {
    const all = diagrams.flatMap(boxes);
    expect(all.filter((box) => box.path.startsWith('src/')).length).toBeGreaterThan(30);
    const missing = all.flatMap((box) => {
      const source = readFileSync(join(root, box.path), 'utf8');
      return box.symbols
        .filter((name) => !exports(source, name))
        .map((name) => `${box.path} ${name}`);
    });
    expect(missing).toEqual([]);
  });

  it('draws an arrow from a handler only to a core file the handler imports', () => {
    const arrows = diagrams.flatMap((diagram) => {
      const byId = new Map(boxes(diagram).map((box) => [box.id, box.path]));
      return [...diagram.matchAll(/^\s*(\w+) --> (\w+)/gm)].map(([, from = '', to = '']) => ({
        from: byId.get(from),
        to: byId.get(to),
      }));
    });
    const fromHandlers = arrows.filter(
      (arrow): arrow is { from: string; to: string } =>
        arrow.from?.startsWith('functions/') === true && arrow.to?.startsWith('src/') === true,
    );
    expect(fromHandlers.length).toBeGreaterThanOrEqual(6);
    const unimported = fromHandlers.filter(({ from, to }) => {
      const source = readFileSync(join(root, from), 'utf8');
      return !source.includes(`'../${to.replace(/\.ts$/, '.js')}'`);
    });
    expect(unimported).toEqual([]);
  });
});
