import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedOutputError } from '../../src/feeds/errors.js';
import { fillPlaceholders, replaceRootTag } from '../../src/feeds/fill.js';
import { renderFeeds } from '../../src/feeds/render.js';
import { ALL_SCOPE } from '../../src/feeds/scopes.js';
import {
  cdataSafeHtml,
  escapeRssText,
  forXmlJsText,
  PLACEHOLDER,
  placeholder,
} from '../../src/feeds/xml.js';
import { stripXmlIllegal } from '../../src/shared/text.js';
import { newestFirst } from '../../src/site/order.js';
import { jsonFeedProblems, parseFeeds, xmllintErrorsOf } from '../support/feed-check.js';
import { makeRelease, TEST_SITE } from '../support/releases.js';

describe('placeholder filling', () => {
  const pattern = new RegExp(`<t>${PLACEHOLDER}</t>`);

  it('replaces each expected placeholder once', () => {
    const xml = `<a><t>${placeholder('x0')}</t><t>${placeholder('x1')}</t></a>`;
    expect(fillPlaceholders('atom', xml, pattern, ['x0', 'x1'], (key) => `<u>${key}</u>`)).toBe(
      '<a><u>x0</u><u>x1</u></a>',
    );
  });

  it('refuses output where a placeholder is missing, repeated or unexpected', () => {
    const one = `<t>${placeholder('x0')}</t>`;
    expect(() => fillPlaceholders('atom', one, pattern, ['x0', 'x1'], () => '')).toThrow(
      FeedOutputError,
    );
    expect(() => fillPlaceholders('rss', one + one, pattern, ['x0'], () => '')).toThrow(
      FeedOutputError,
    );
    expect(() => fillPlaceholders('rss', one, pattern, [], () => '')).toThrow(FeedOutputError);
  });

  it('replaces the root start tag right after the XML declaration, and only there', () => {
    const xml = '<?xml version="1.0"?>\n<feed a="1"><p><![CDATA[<feed a="1">]]></p></feed>';
    expect(replaceRootTag('atom', xml, /<feed a="1">/, '<feed a="2">')).toBe(
      '<?xml version="1.0"?>\n<feed a="2"><p><![CDATA[<feed a="1">]]></p></feed>',
    );
    expect(() => replaceRootTag('rss', '<?xml version="1.0"?><rss>', /<feed>/, '')).toThrow(
      /Unexpected rss output from the feed package/,
    );
    expect(() => replaceRootTag('atom', '<feed>', /<feed>/, '')).toThrow(FeedOutputError);
  });
});

describe('text helpers', () => {
  it('escape RSS text with hexadecimal references', () => {
    expect(escapeRssText('a & b < c > d "e"')).toBe('a &#x26; b &#x3C; c &#x3E; d "e"');
  });

  it('keep CDATA sections closed only by themselves', () => {
    expect(cdataSafeHtml('<p>x ]]> y ]]> z</p>')).toBe('<p>x ]]&gt; y ]]&gt; z</p>');
  });

  it("cancel xml-js's un-escaping of &amp;", () => {
    expect(forXmlJsText('AT&amp;T & co')).toBe('AT&amp;amp;T &amp; co');
  });
});

// Any text at all, including control characters, lone surrogates, CDATA terminators and markup.
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(']]>', '&amp;', '<b>', '\u0000', '\uD800', '\uFFFE', '&#x26;', '"\'', '\r\n'),
);

describe('feeds from arbitrary text', () => {
  it('are always well-formed and keep the cleaned titles', () => {
    // 25 random cases, checked by xmllint and feedparser in one process each (not one per feed).
    const cases = fc.sample(
      fc.array(fc.record({ title: nastyText, summary: nastyText, other: nastyText }), {
        minLength: 1,
        maxLength: 6,
      }),
      25,
    );
    const rendered = cases.map((texts) => {
      const releases = texts.map((text, i) =>
        makeRelease({
          sourcePath: `p/${i}.md`,
          published: new Date(Date.UTC(2021, 0, 1 + i)),
          title: `T${i} ${text.title}`,
          summary: text.summary,
          author: text.other,
          category: text.other,
          tags: [text.title, text.summary],
          kicker: text.other,
          contentHtml: `<p>${text.summary}</p>`,
        }),
      );
      return { releases, feeds: renderFeeds(ALL_SCOPE, newestFirst(releases), TEST_SITE) };
    });
    const lint = xmllintErrorsOf(rendered.flatMap(({ feeds }) => [feeds.atom, feeds.rss]));
    const atoms = parseFeeds(rendered.map(({ feeds }) => feeds.atom));
    rendered.forEach(({ releases, feeds }, i) => {
      const input = JSON.stringify(cases[i]);
      expect(lint[2 * i], `atom of ${input}`).toBe('');
      expect(lint[2 * i + 1], `rss of ${input}`).toBe('');
      expect(jsonFeedProblems(feeds.json), input).toEqual([]);
      const atom = atoms[i];
      expect(atom?.bozo, input).toBe(false);
      // XML parsers turn CR LF into LF; the rest must come back exactly.
      const expected = newestFirst(releases).map((release) =>
        stripXmlIllegal(release.title).trim().replace(/\r\n?/g, '\n'),
      );
      expect(
        atom?.entries.map((entry) => entry.title),
        input,
      ).toEqual(expected);
    });
  });
});
