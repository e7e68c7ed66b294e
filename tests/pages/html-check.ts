import { spawnSync } from 'node:child_process';

/**
 * Parses HTML with html5lib (Debian's python3-html5lib), a conforming HTML5 parser, and returns
 * its parse errors and the document tree, so page tests assert on what a browser would build.
 */

/** An element as the parser built it. */
export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  /** The element's text content (all descendant text). */
  text: string;
  children: HtmlElement[];
}

export interface ParsedHtml {
  /** html5lib's parse errors, e.g. `unexpected-end-tag`; empty for a clean document. */
  errors: string[];
  root: HtmlElement;
}

const HTML5LIB_TO_JSON = `
import json, sys
import html5lib

def convert(element):
    tag = element.tag.split('}')[-1] if isinstance(element.tag, str) else '#comment'
    return {
        'tag': tag,
        'attrs': {k.split('}')[-1]: v for k, v in element.attrib.items()},
        'text': ''.join(element.itertext()) if isinstance(element.tag, str) else '',
        'children': [convert(child) for child in element if isinstance(child.tag, str)],
    }

def parse(document):
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder('etree'))
    root = parser.parse(document)
    errors = ['%d:%d %s %s' % (pos[0], pos[1], code, json.dumps(data)) for pos, code, data in parser.errors]
    return {'errors': errors, 'root': convert(root)}

if len(sys.argv) > 1 and sys.argv[1] == 'many':
    json.dump([parse(doc) for doc in json.load(sys.stdin)], sys.stdout)
else:
    json.dump(parse(sys.stdin.buffer.read()), sys.stdout)
`;

/** Parses `html` as a browser would. */
export function parseHtml(html: string): ParsedHtml {
  const run = spawnSync('/usr/bin/python3', ['-c', HTML5LIB_TO_JSON], {
    input: html,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`html5lib failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as ParsedHtml;
}

/** Parses each of `htmls` as a browser would, in one Python process. */
export function parseHtmlMany(htmls: readonly string[]): ParsedHtml[] {
  const run = spawnSync('/usr/bin/python3', ['-c', HTML5LIB_TO_JSON, 'many'], {
    input: JSON.stringify(htmls),
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`html5lib failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as ParsedHtml[];
}

/** Every element under (and including) `root` that matches, in document order. */
export function findAll(
  root: HtmlElement,
  match: (element: HtmlElement) => boolean,
): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement) => {
    if (match(element)) found.push(element);
    element.children.forEach(visit);
  };
  visit(root);
  return found;
}

/** Every element with tag `tag` (and, when given, the attribute values in `attrs`). */
export function byTag(
  root: HtmlElement,
  tag: string,
  attrs: Record<string, string> = {},
): HtmlElement[] {
  return findAll(
    root,
    (element) =>
      element.tag === tag &&
      Object.entries(attrs).every(([name, value]) => element.attrs[name] === value),
  );
}

/** The one element matching; fails the test's expectations clearly when there is not exactly one. */
export function only(elements: HtmlElement[], what: string): HtmlElement {
  if (elements.length !== 1) throw new Error(`expected one ${what}, found ${elements.length}`);
  return elements[0] as HtmlElement;
}

/** The text with runs of whitespace collapsed, as it reads. */
export function readable(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
