import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { runImmediate } from '../../src/digest/run.js';
import { loadTemplateSource, VariantCache } from '../../src/digest/templates.js';
import type { PipelineNotice } from '../../src/pipeline/notifier.js';
import { rejectionReportSchema } from '../../src/pipeline/notifier.js';
import { reportKey } from '../../src/pipeline/reports.js';
import { parseRelease } from '../../src/release/parse.js';
import type { Release } from '../../src/release/types.js';
import { readDocument } from '../../src/shared/document-store.js';
import type { OutgoingMail } from '../../src/shared/ports.js';
import { memoryRoster, recipient } from '../digest/fixtures.js';
import { keysUnder, type PipelineWorld, pipelineWorld } from '../faults/pipeline-world.js';
import { findAll, type HtmlElement, parseHtml, parseHtmls } from '../pages/html-check.js';
import { SITE, s3Record } from '../pipeline/harness.js';
import { CORPUS_EXPECTATIONS, CORPUS_FILES, FIXTURES } from '../release/support.js';
import { ConditionalStore } from '../support/conditional-store.js';
import {
  jsonFeedProblems,
  type ParsedFeed,
  parseFeeds,
  xmllintErrorsOf,
} from '../support/feed-check.js';

/**
 * The whole bad-input corpus (tests/fixtures/releases/, every file the issue lists) uploaded as
 * releases and published by the real pipeline, one S3 event at a time (keys encoded as S3 sends
 * them), over in-memory buckets: the suite is about content, and the object-store contract suite
 * holds the in-memory store to s3rver's behaviour (keys with spaces, ä/ö and '+' included). Afterwards
 * every public feed must still parse in a feed reader and in xmllint, no page may carry script
 * (`<script`, `on…=` attributes, `javascript:` URLs), every rejected file must have a report that
 * says what is wrong and where, and mail about the releases must carry no injected header.
 */

const expectations = CORPUS_EXPECTATIONS;
const files = CORPUS_FILES;

/** The S3 key a fixture is uploaded under. */
const keyOf = (file: string) => `releases/corpus/${file}`;

let world: PipelineWorld;
const publicFiles = new Map<string, string>();

beforeAll(async () => {
  world = await pipelineWorld(undefined);
  const handle = world.handler();
  for (const file of files) {
    const key = keyOf(file);
    await world.bucket.put(key, readFileSync(join(FIXTURES, file)), {
      contentType: 'text/markdown',
    });
    await handle({ Records: [s3Record(world.releasesBucket, key, 'created')] });
  }
  for (const key of await keysUnder(world.clean.publicSite, '')) {
    const object = await world.clean.publicSite.get(key);
    publicFiles.set(key, new TextDecoder().decode(object?.body));
  }
}, 120_000);

const ofKind = (pattern: RegExp) => [...publicFiles.keys()].filter((key) => pattern.test(key));

/** Scheme of a URL as a browser reads it: whitespace and controls anywhere are ignored. */
function schemeOf(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers strip exactly these.
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  return /^([a-z][a-z0-9+.-]*):/.exec(compact)?.[1] ?? '';
}

const parsedHtml = new Map<string, HtmlElement>();

/** Parses every text of `htmls` not parsed yet, in one html5lib process, for {@link htmlTree}. */
function parseAll(htmls: readonly string[]): void {
  const fresh = [...new Set(htmls)].filter((html) => !parsedHtml.has(html));
  parseHtmls(fresh).forEach(({ root }, i) => {
    parsedHtml.set(fresh[i] as string, root);
  });
}

/** The document tree html5lib builds for `html` (parsed once per distinct text). */
function htmlTree(html: string): HtmlElement {
  let root = parsedHtml.get(html);
  if (root === undefined) {
    root = parseHtml(html).root;
    parsedHtml.set(html, root);
  }
  return root;
}

/**
 * The page without its JSON-LD block (data for search engines, never run), after checking that
 * the block is one JSON value with no `<` in it, so it cannot close itself early.
 */
function withoutJsonLd(html: string): string {
  return html.replace(/<script type="application\/ld\+json">([^<]*)<\/script>/g, (_, json) => {
    JSON.parse(json);
    return '';
  });
}

/** What in an HTML document (or fragment) could run script. */
function scriptVectors(html: string): string[] {
  const found: string[] = [];
  if (/<script/i.test(html)) found.push('<script');
  // Attributes inside real tags (escaped text such as `&lt;p onclick=` is not a tag).
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    if (/[\s/"']on[a-z]+\s*=/i.test(tag)) found.push(`on…= in ${tag.slice(0, 80)}`);
  }
  const visit = (element: HtmlElement) => {
    for (const [name, value] of Object.entries(element.attrs)) {
      if (/^on/i.test(name)) found.push(`${element.tag}[${name}]`);
      if (['javascript', 'vbscript', 'livescript'].includes(schemeOf(value))) {
        found.push(`${element.tag}[${name}=${value.slice(0, 40)}]`);
      }
      if (schemeOf(value) === 'data' && /^(src|href|action|formaction|data)$/i.test(name)) {
        found.push(`${element.tag}[${name}=data:]`);
      }
    }
    if (['script', 'iframe', 'object', 'embed', 'base', 'svg', 'math'].includes(element.tag)) {
      found.push(`<${element.tag}>`);
    }
  };
  findAll(htmlTree(html), () => true).forEach(visit);
  return found;
}

/**
 * Every text node and attribute value of each XML document, decoded by a real XML parser
 * (Python's ElementTree, one process for all): the HTML a feed reader would render, before any
 * sanitizing of its own.
 */
function xmlTextsOf(xmls: readonly string[]): string[][] {
  const script = `
import base64, json, sys, xml.etree.ElementTree as ET

def texts(raw):
    out = []
    for element in ET.fromstring(raw).iter():
        if element.text and element.text.strip():
            out.append(element.text)
        out.extend(element.attrib.values())
    return out

json.dump([texts(base64.b64decode(xml)) for xml in json.load(sys.stdin)], sys.stdout)
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script], {
    input: JSON.stringify(xmls.map((xml) => Buffer.from(xml, 'utf8').toString('base64'))),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`ElementTree failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

const CONTROL_VECTORS = [
  '<p><script>alert(1)</script></p>',
  '<SCRIPT SRC=//x></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<p/onclick=alert(1)>x</p>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href=" &#106;avascript:alert(1)">x</a>',
  '<iframe src="https://example.fi"></iframe>',
  '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
  '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
];
const CONTROL_ESCAPED = '<p>&lt;script&gt; [x](javascript:alert(1)) &lt;p onclick=x&gt;</p>';

describe('the checker itself (the control for everything below)', () => {
  // One html5lib process for all of them, as for the corpus (one each cost ~80 ms of CPU).
  beforeAll(() => parseAll([...CONTROL_VECTORS, CONTROL_ESCAPED]));

  it.each(CONTROL_VECTORS)('finds the vector in %s', (html) => {
    expect(scriptVectors(html)).not.toEqual([]);
  });

  it('finds nothing in escaped text that merely mentions them', () => {
    expect(scriptVectors(CONTROL_ESCAPED)).toEqual([]);
  });
});

describe('the whole fixture corpus through the real S3 pipeline', () => {
  it('uploaded every fixture, published the good ones and only them', () => {
    expect(files.length).toBeGreaterThanOrEqual(70);
    const pages = ofKind(/^releases\/.+\.html$/);
    const good = files.filter((file) => expectations[file] === 'ok');
    // Two are embargoed (2.3.2026 and 2200, after the pipeline's clock): stored, not public.
    const now = world.clock.read().getTime();
    const due = good.filter((file) => {
      const parsed = parseRelease(file, readFileSync(join(FIXTURES, file)), SITE);
      return parsed.ok && parsed.release.published.getTime() <= now;
    });
    expect(due).toHaveLength(good.length - 2);
    expect(pages).toHaveLength(due.length);
  });

  // xmllint, feedparser, ElementTree and html5lib over every feed, one process each: ~5 s alone,
  // 35 s once at load 15 (past the 30 s default).
  it('every Atom and RSS feed parses in feedparser without complaint and in xmllint', () => {
    const feeds = ofKind(/^feeds\/.*(atom|rss)\.xml$/);
    expect(feeds.length).toBeGreaterThanOrEqual(8);
    const bodies = feeds.map((path) => publicFiles.get(path) ?? '');
    const lint = xmllintErrorsOf(bodies);
    const parsed = parseFeeds(bodies);
    // feedparser sanitizes what it returns; check the content as the XML carries it instead.
    const rendered = xmlTextsOf(bodies).map((texts) =>
      texts.map((text) => `<div>${text}</div>`).join('\n'),
    );
    parseAll(rendered);
    feeds.forEach((path, i) => {
      expect(lint[i], path).toBe('');
      const feed = parsed[i] as ParsedFeed;
      expect(feed.bozo, `${path}: ${feed.bozoException}`).toBe(false);
      expect(feed.entries.length, path).toBeGreaterThan(0);
      for (const entry of feed.entries) {
        expect(entry.title, path).toBeTruthy();
        expect(entry.id, path).toBeTruthy();
      }
      expect(scriptVectors(rendered[i] ?? ''), path).toEqual([]);
    });
  }, 120_000);

  it('every JSON Feed is valid JSON Feed 1.1 and carries no script', () => {
    const feeds = ofKind(/^feeds\/.*feed\.json$/);
    expect(feeds.length).toBeGreaterThanOrEqual(4);
    parseAll(
      feeds.map((path) =>
        (JSON.parse(publicFiles.get(path) ?? '') as { items: { content_html?: string }[] }).items
          .map((item) => `<div>${item.content_html ?? ''}</div>`)
          .join('\n'),
      ),
    );
    for (const path of feeds) {
      const body = publicFiles.get(path) ?? '';
      expect(jsonFeedProblems(body), path).toEqual([]);
      const items = (JSON.parse(body) as { items: { content_html?: string }[] }).items;
      const html = items.map((item) => `<div>${item.content_html ?? ''}</div>`).join('\n');
      expect(scriptVectors(html), path).toEqual([]);
    }
  });

  it('no page has <script, an on…= attribute or a javascript: URL', () => {
    const pages = ofKind(/\.html$/);
    expect(pages).toContain('index.html');
    parseAll(pages.map((path) => withoutJsonLd(publicFiles.get(path) ?? '')));
    for (const path of pages) {
      expect(scriptVectors(withoutJsonLd(publicFiles.get(path) ?? '')), path).toEqual([]);
    }
  });

  it('the CSS tricks are gone: no style attributes, no style sheet but the site’s own', () => {
    parseAll(ofKind(/\.html$/).map((path) => publicFiles.get(path) ?? ''));
    for (const path of ofKind(/\.html$/)) {
      const root = htmlTree(publicFiles.get(path) ?? '');
      const styled = findAll(root, (element) => 'style' in element.attrs);
      expect(
        styled.map((element) => element.tag),
        path,
      ).toEqual([]);
      expect(
        findAll(root, (element) => element.tag === 'style'),
        path,
      ).toHaveLength(1);
      // The site's own theme.css, beside the few inline rules that must hold without it.
      expect(
        findAll(
          root,
          (element) => element.tag === 'link' && element.attrs.rel === 'stylesheet',
        ).map((element) => element.attrs.href?.replace(/^((\.\.\/)+|https:\/\/[^/]+\/)/, '')),
        path,
      ).toEqual(['theme.css']);
    }
    const page = publicFiles.get('releases/corpus-good-css-tricks.html') ?? '';
    expect(page).toContain('Tavallinen kappale jää.');
    expect(page).not.toContain('evil.example');
  });

  it('text that only looks dangerous stays readable text', () => {
    const rtl = publicFiles.get('releases/corpus-good-rtl-arabic.html') ?? '';
    expect(rtl).toContain('بيان صحفي: افتتاح المكتبة');
    const emoji = [...publicFiles.values()].find((body) => body.includes('Kesäjuhla 🎉👩‍👩‍👧‍👦'));
    expect(emoji).toBeDefined();
    const injected = publicFiles.get('releases/corpus-good-header-injection-title.html') ?? '';
    expect(injected).toContain('Otsikko Bcc: evil@example.com X-Injected: 1');
  });

  it('duplicate slugs and titles get distinct pages; the first keeps the bare slug', () => {
    const same = ofKind(/^releases\/sama-osoite.*\.html$/);
    expect(same).toHaveLength(3);
    expect(same).toContain('releases/sama-osoite.html');
    expect(publicFiles.get('releases/sama-osoite.html')).toContain('Tiedote numero 1,');
  });

  it('every rejected file has a report saying what is wrong and where, and staff were told', async () => {
    const rejected = files.filter((file) => expectations[file] !== 'ok');
    expect(rejected.length).toBeGreaterThanOrEqual(35);
    const told = new Set(
      world.notices.flatMap((notice: PipelineNotice) =>
        notice.type === 'release-rejected' ? [notice.report.file] : [],
      ),
    );
    for (const file of rejected) {
      const expected = expectations[file];
      if (expected === 'ok' || expected === undefined) continue;
      const key = keyOf(file);
      const report = (await readDocument(world.clean.bucket, reportKey(key), rejectionReportSchema))
        ?.value;
      expect(report, file).toBeDefined();
      expect(report?.problem, file).toContain(expected.error);
      expect(report?.line, file).toBe(expected.line);
      expect(report?.message, file).toContain(`${key} was not published`);
      expect(report?.message, file).toContain(expected.line ? `(line ${expected.line})` : ':');
      expect(told.has(key), file).toBe(true);
    }
  });

  it('the public bucket equals a clean full build of the corpus, byte for byte', async () => {
    expect(await world.verify()).toBe(0);
  });
});

describe('mail about the corpus releases', () => {
  it('no title, summary or type can add a header or a recipient to the immediate mail', async () => {
    const variants = new VariantCache(await loadTemplateSource(), SITE);
    const sent: OutgoingMail[] = [];
    const releases: Release[] = [];
    for (const file of files) {
      const parsed = parseRelease(`corpus/${file}`, readFileSync(join(FIXTURES, file)), SITE);
      if (parsed.ok && ['fi', 'sv', 'en'].includes(parsed.release.lang))
        releases.push(parsed.release);
    }
    expect(releases.length).toBeGreaterThan(20);
    for (const release of releases) {
      const lang = release.lang as 'fi' | 'sv' | 'en';
      await runImmediate(release, {
        store: new ConditionalStore(),
        mailer: {
          async send(mail) {
            sent.push(mail);
            return { messageId: `m${sent.length}` };
          },
        },
        roster: memoryRoster([[recipient('lukija', { lang, languages: [lang] })]]),
        variants,
        site: SITE,
        mailFrom: { name: 'Esimerkkilä', address: 'tiedotteet@example.fi' },
        clock: () => new Date('2026-01-15T12:00:00Z'),
        sendRate: 1000,
      });
    }
    expect(sent).toHaveLength(releases.length);
    const subjects: string[] = [];
    const mails = await Promise.all(sent.map((mail) => simpleParser(Buffer.from(mail.raw))));
    // Every mail's HTML through one html5lib process, not one each (scriptVectors reads them).
    parseAll(mails.map((parsed) => String(parsed.html || '')));
    for (const [index, mail] of sent.entries()) {
      expect(mail.to).toEqual(['lukija@example.org']);
      const parsed = mails[index];
      if (parsed === undefined) throw new Error(`mail ${index} was not parsed`);
      subjects.push(parsed.subject ?? '');
      const names = parsed.headerLines.map((line) => line.key);
      for (const forbidden of ['bcc', 'cc', 'reply-to', 'x-injected', 'content-type-injected']) {
        expect(names, parsed.subject).not.toContain(forbidden);
      }
      expect(names.filter((name) => name === 'subject')).toHaveLength(1);
      expect(names.filter((name) => name === 'to')).toHaveLength(1);
      expect(parsed.subject ?? '').not.toMatch(/[\r\n]/);
      expect(parsed.html || '').not.toMatch(/<script/i);
      expect(scriptVectors(String(parsed.html || '')).filter((v) => !v.startsWith('<'))).toEqual(
        [],
      );
    }
    // The words are there, as part of the one subject line, not as headers of their own.
    expect(subjects).toContain('Esimerkkilä: Otsikko Bcc: evil@example.com X-Injected: 1');
  });
});
