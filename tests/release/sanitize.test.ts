import fc from 'fast-check';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/release/markdown.js';
import { renderReleaseHtml, sanitizeReleaseHtml } from '../../src/release/sanitize.js';
import { fixture, parseOk, withFrontMatter } from './support.js';

const PAGE = 'https://tiedotteet.example.fi/releases/kirjasto.html';

/** contentHtml of a release whose body is `body`, published as releases/kirjasto.html. */
function html(body: string): string {
  return parseOk(withFrontMatter('title: T\ndate: 2025-02-03\nslug: kirjasto', body)).contentHtml;
}

/** Every tag in the output (sanitized text has `<` only as `&lt;`, so these are real tags). */
function tags(output: string): string[] {
  return output.match(/<[^>]*>/g) ?? [];
}

function expectNoActiveContent(output: string): void {
  for (const tag of tags(output)) {
    expect(tag).not.toMatch(
      /^<\/?(script|style|iframe|object|embed|form|input|button|svg|math|link|meta|base|textarea|select)\b/i,
    );
    expect(tag).not.toMatch(/\son[a-z]*\s*=/i);
    expect(tag).not.toMatch(/\sstyle\s*=/i);
    expect(tag).not.toMatch(/(javascript|vbscript|data):/i);
  }
}

describe('sanitizing release HTML', () => {
  it.each([
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<style>body{display:none}</style>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="p"><button>Lähetä</button></form>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<math><mtext><script>alert(1)</script></mtext></math>',
    '<link rel="stylesheet" href="x.css"><meta http-equiv="refresh" content="0;url=x"><base href="https://evil.example/">',
    '<img src="x.jpg" onerror="alert(1)" style="width:1px">',
    '<p onclick="alert(1)" onmouseover="x()" style="color:red">teksti</p>',
    '<a href="JaVaScRiPt:alert(1)">a</a>',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">a</a>',
    '<a href="&#x6A;&#x61;vascript:alert(1)">a</a>',
    '<a href="java\tscript:alert(1)">a</a>',
    '<a href="java&#9;script:alert(1)">a</a>',
    '<a href="java&Tab;script:alert(1)">a</a>',
    '<a href=" \n javascript:alert(1)">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<a href="VBSCRIPT:msgbox(1)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<img src="DATA:image/png;base64,AAAA">',
    '[linkki](javascript:alert(1))',
    '[linkki](JAVASCRIPT:alert(1))',
    '[linkki](data:text/html;base64,AAAA)',
    '![kuva](data:image/png;base64,AAAA)',
    '<a href="jav&#x0A;ascript:alert(1)">a</a>',
    '<scr<script>ipt>alert(1)</script>',
    '<!-- <script>alert(1)</script> -->',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  ])('neutralizes %s', (body) => {
    const output = html(body);
    expectNoActiveContent(output);
    expect(output).not.toContain('<script');
  });

  it('drops images whose URL is not allowed, keeping Markdown alt text', () => {
    expect(html('<img src="javascript:alert(1)" alt="x">')).not.toContain('<img');
    expect(html('![Kartta](data:image/png;base64,AAAA)')).toBe('<p>Kartta</p>\n');
  });

  it('closes emphasis next to emoji and other symbols (CommonMark 0.31 punctuation)', () => {
    // Older Markdown parsers left these as literal asterisks, a common sight in staff's text.
    expect(html('**Tervetuloa!**🎉 Ovet aukeavat.')).toContain('<strong>Tervetuloa!</strong>🎉');
    expect(html('*"Hieno päivä"*😀')).toContain('<em>&quot;Hieno päivä&quot;</em>😀');
    expect(html('Hinta **5 €**.')).toContain('<strong>5 €</strong>');
  });

  it('keeps the allowed markup', () => {
    const body = [
      '# H1',
      '###### H6',
      'Teksti *kursiivi* **lihava** ~~yliviivattu~~ `koodi`  ',
      'rivinvaihto',
      '',
      '---',
      '',
      '> lainaus',
      '',
      '1. yksi',
      '2. kaksi',
      '',
      '3) kolme',
      '',
      '```js',
      'const x = 1 < 2;',
      '```',
      '',
      '<figure><img src="a.jpg" alt="A" title="T" width="10" height="20"><figcaption>Kuva</figcaption></figure>',
      '',
      '<p><b>b</b> <i>i</i> <u>u</u> <s>s</s> <sub>sub</sub> <sup>sup</sup> <mark>m</mark> <small>s</small> <abbr title="Esimerkkilä">E</abbr> <cite>c</cite> <q>q</q></p>',
      '',
      '<dl><dt>termi</dt><dd>selitys</dd></dl>',
      '',
      '<table><caption>Taulukko</caption><thead><tr><th scope="col" colspan="2">a</th></tr></thead><tbody><tr><td rowspan="2">b</td></tr></tbody><tfoot><tr><td>c</td></tr></tfoot></table>',
      '',
      '<details open><summary>Lisää</summary><p>piilossa</p></details>',
    ].join('\n');
    const output = html(body);
    for (const tag of [
      '<h1>H1</h1>',
      '<h6>H6</h6>',
      '<em>kursiivi</em>',
      '<strong>lihava</strong>',
      '<s>yliviivattu</s>',
      '<code>koodi</code>',
      '<br />',
      '<hr />',
      '<blockquote>',
      '<ol>',
      '<ol start="3">',
      '<pre><code class="language-js">const x = 1 &lt; 2;',
      '<figure><img src="https://tiedotteet.example.fi/media/a.jpg" alt="A" title="T" width="10" height="20" /><figcaption>Kuva</figcaption></figure>',
      '<b>b</b>',
      '<i>i</i>',
      '<u>u</u>',
      '<sub>sub</sub>',
      '<sup>sup</sup>',
      '<mark>m</mark>',
      '<small>s</small>',
      '<abbr title="Esimerkkilä">E</abbr>',
      '<cite>c</cite>',
      '<q>q</q>',
      '<dl><dt>termi</dt><dd>selitys</dd></dl>',
      '<caption>Taulukko</caption>',
      '<th scope="col" colspan="2">a</th>',
      '<td rowspan="2">b</td>',
      '<tfoot>',
      '<details open><summary>Lisää</summary>',
    ]) {
      expect(output).toContain(tag);
    }
  });

  it('keeps mailto and tel links, and http(s) links as they are', () => {
    const output = html(
      '[posti](mailto:kirjasto@example.fi) [puhelin](tel:+358401234567) [sivu](https://example.fi/a?b=c#d) <a href="HTTP://EXAMPLE.FI/X">x</a>',
    );
    expect(output).toContain('href="mailto:kirjasto@example.fi"');
    expect(output).toContain('href="tel:+358401234567"');
    expect(output).toContain('href="https://example.fi/a?b=c#d"');
    expect(output).toContain('href="http://example.fi/X"');
  });

  it.each([
    // A file beside the release is published under media/, at its path beside the releases.
    ['[a](liite.pdf)', 'https://tiedotteet.example.fi/media/liite.pdf'],
    ['[a](../palvelut/kirjasto.html)', 'https://tiedotteet.example.fi/palvelut/kirjasto.html'],
    ['[a](/kartta)', 'https://tiedotteet.example.fi/kartta'],
    ['[a](#aukioloajat)', `${PAGE}#aukioloajat`],
    ['[a](?kieli=sv)', `${PAGE}?kieli=sv`],
    ['[a](//cdn.example.fi/x.js)', 'https://cdn.example.fi/x.js'],
    [
      '[a](kuvat/kevät%20kuva.jpg)',
      'https://tiedotteet.example.fi/media/kuvat/kev%C3%A4t%20kuva.jpg',
    ],
    ['<a href="liite.pdf">a</a>', 'https://tiedotteet.example.fi/media/liite.pdf'],
    ['[a](liite.pdf#page=2)', 'https://tiedotteet.example.fi/media/liite.pdf#page=2'],
    ['[a](toinen-tiedote.html)', 'https://tiedotteet.example.fi/releases/toinen-tiedote.html'],
    ['<a href="#osa">a</a>', `${PAGE}#osa`],
  ])('makes the link in %s absolute', (body, href) => {
    expect(html(body)).toContain(`href="${href}"`);
  });

  it.each([
    ['![a](kuvat/a.jpg)', 'https://tiedotteet.example.fi/media/kuvat/a.jpg'],
    ['<img src="/kuvat/a.jpg" alt="a">', 'https://tiedotteet.example.fi/kuvat/a.jpg'],
    ['<img src="kuva.png" alt="a">', 'https://tiedotteet.example.fi/media/kuva.png'],
    ['<img src="https://kuvat.example.fi/a.png" alt="a">', 'https://kuvat.example.fi/a.png'],
  ])('makes the image in %s absolute', (body, src) => {
    expect(html(body)).toContain(`src="${src}"`);
  });

  it('removes the href of an unparsable URL but keeps the link text', () => {
    expect(html('<a href="http://[nope">teksti</a>')).toContain('<a>teksti</a>');
  });

  it('limits HTML nesting instead of passing it through', () => {
    const output = html(`${'<blockquote>'.repeat(500)}syvä${'</blockquote>'.repeat(500)}`);
    expect(output).toContain('syvä');
    expect((output.match(/<blockquote>/g) ?? []).length).toBeLessThanOrEqual(50);
  });

  it('sanitizes the raw-HTML fixture (and keeps what is allowed)', () => {
    const release = parseOk(fixture('good/raw-html.md'));
    expectNoActiveContent(release.contentHtml);
    expect(release.contentHtml).toContain('<abbr title="kaupunginvaltuusto">kv</abbr>');
    expect(release.contentHtml).toContain('<a>huijauslinkki</a>');
    expect(release.contentHtml).toContain('<figcaption>Nauha leikattiin klo 10.</figcaption>');
    expect(release.contentHtml).not.toContain('alert');
    expect(release.title).toBe('Kuvia avajaisista ja juhlasta');
  });

  it('sanitizeReleaseHtml works on HTML alone', () => {
    expect(
      sanitizeReleaseHtml('<p onclick="x()">a <a href="b">b</a></p><script>x</script>', PAGE),
    ).toBe('<p>a <a href="https://tiedotteet.example.fi/releases/b">b</a></p>');
  });

  describe('Markdown without raw HTML (rendered without the sanitizer pass)', () => {
    const markdownPiece = fc.oneof(
      fc.constantFrom(
        '# ',
        '## ',
        '> ',
        '- ',
        '1. ',
        '3) ',
        '**',
        '*',
        '_',
        '~~',
        '`',
        '```js\n',
        '\n```\n',
        '    ',
        '\n',
        '\n\n',
        '---\n',
        '[a](b.html)',
        '[x](javascript:alert(1))',
        '[y](JAVA\tSCRIPT:x)',
        '![k](kuva.jpg "otsikko")',
        '![k](data:image/png;base64,AA)',
        '[r][ref]\n\n[ref]: https://example.fi "T"\n',
        '| a | b |\n|:--|--:|\n| 1 | 2 |\n',
        '&amp;',
        '&quot;',
        '&#0;',
        '&#x1F600;',
        '"',
        "'",
        '&',
        '\\*',
        'ä',
        '\u00a0',
        'https://example.fi',
        '[l](#x)',
        '[m](mailto:a@b.fi)',
      ),
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', '.', ':', '(', ')', '[', ']', '!', '#') }),
    );

    it('gives the same HTML as sending it through sanitize-html', () => {
      fc.assert(
        fc.property(fc.array(markdownPiece, { maxLength: 30 }), (pieces) => {
          const body = pieces.join('');
          const fast = renderReleaseHtml(parseMarkdown(body, 0), PAGE);
          const sanitized = sanitizeReleaseHtml(fast, PAGE);
          // sanitize-html writes a literal `"` in text where markdown-it writes `&quot;`.
          expect(sanitized.replaceAll('&quot;', '"')).toBe(fast.replaceAll('&quot;', '"'));
        }),
        { numRuns: 500 },
      );
    });

    it('only uses tags and attributes that the sanitizer allows', () => {
      const output = renderReleaseHtml(
        parseMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```js\nx\n```\n', 0),
        PAGE,
      );
      expect(output).toBe(sanitizeHtml(output, { allowedTags: false, allowedAttributes: false }));
      expect(output).not.toContain('style=');
      expect(output).toContain('<code class="language-js">');
    });
  });
});
