import { describe, expect, it } from 'vitest';
import { MAX_HTML_DEPTH } from '../../src/release/sanitize.js';
import { parseOk, parseProblem, withFrontMatter } from './support.js';

const HEAD = 'title: T\ndate: 2025-02-03';

describe('parseRelease on extreme input', () => {
  it.each([
    ['10,000 quote markers', '>'.repeat(10_000), 6],
    ['10,000 spaced quote markers', '> '.repeat(10_000), 6],
    ['10,000 list markers on one line', '- '.repeat(10_000), 6],
    // Each list level is two levels (list and item): the limit is reached on the 25th line.
    [
      '400 indented list levels',
      Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n'),
      30,
    ],
  ])('rejects %s clearly instead of dropping content', (_, body, line) => {
    const problem = parseProblem(withFrontMatter(HEAD, `${body} teksti`));
    expect(problem.message).toContain('nested too deeply');
    expect(problem.line).toBe(line);
  });

  it('renders nesting within the limit completely', () => {
    const html = parseOk(withFrontMatter(HEAD, `${'> '.repeat(40)}syvällä`)).contentHtml;
    expect(html.match(/<blockquote>/g)).toHaveLength(40);
    expect(html).toContain('<p>syvällä</p>');
  });

  it('accepts a single line of 100,000 characters and renders all of it', () => {
    const line = 'sana '.repeat(20_000).trim();
    const release = parseOk(withFrontMatter(HEAD, line));
    expect(release.contentHtml).toBe(`<p>${line}</p>\n`);
    expect(release.summary?.length).toBeLessThanOrEqual(500);
  });

  it('rejects raw HTML nested deeper than the limit', () => {
    const problem = parseProblem(withFrontMatter(HEAD, '<b>'.repeat(100_000)));
    expect(problem.message).toContain(`more than ${MAX_HTML_DEPTH} elements inside each other`);
  });

  it('accepts raw HTML nested within the limit (the sanitizer caps what it keeps)', () => {
    const html = parseOk(withFrontMatter(HEAD, `<div>${'<b>'.repeat(400)}x`)).contentHtml;
    expect(html).toContain('x');
    expect((html.match(/<b>/g) ?? []).length).toBeLessThanOrEqual(50);
  });

  it('does not count elements the HTML parser closes by itself', () => {
    const rows = '<tr><td>a<td>b'.repeat(2_000);
    const html = parseOk(
      withFrontMatter(HEAD, `<table>${rows}</table>\n\n<p>1<p>2<li>3`),
    ).contentHtml;
    expect(html.match(/<tr>/g)).toHaveLength(2_000);
  });

  it.each([
    ['asterisks', '*'.repeat(100_000)],
    ['emphasis openers', 'a* '.repeat(30_000)],
    ['underscores', '_a'.repeat(50_000)],
    ['brackets', '['.repeat(100_000)],
    ['link openers', '[a]('.repeat(25_000)],
    ['angle brackets', '<'.repeat(100_000)],
    ['unclosed tags', '<a '.repeat(30_000)],
    ['backticks', `${'`'.repeat(30_000)}x${'``'.repeat(15_000)}`],
    ['entities', '&amp;'.repeat(20_000)],
    ['autolinks', '<http://a.b/'.repeat(10_000)],
    ['a long table', `|a|b|\n|-|-|\n${'|x|y|\n'.repeat(10_000)}`],
    [
      'many references',
      `${Array.from({ length: 5_000 }, (_, i) => `[r${i}]: /x${i}`).join('\n')}\n\n${'[r1] '.repeat(5_000)}`,
    ],
  ])('finishes on pathological %s', (_, body) => {
    const release = parseOk(withFrontMatter(HEAD, body));
    expect(release.contentHtml).not.toContain('<script');
  });
});
