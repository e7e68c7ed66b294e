import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Feed-checking helpers for tests: a real feed reader's parser (Debian's python3-feedparser, the
 * library behind many readers), xmllint for well-formedness, and a JSON Feed 1.1 checker.
 * Debian's python lives at /usr/bin/python3; the `python3` first on PATH is a different build.
 */

const PYTHON = '/usr/bin/python3';

/** A link as feedparser reports it. */
interface ParsedLink {
  rel: string | null;
  href: string | null;
  type: string | null;
  length: string | null;
}

/** One entry, reduced to what our tests assert on. Dates are ISO strings in UTC. */
interface ParsedEntry {
  id: string | null;
  title: string | null;
  titleType: string | null;
  /** The entry's language as feedparser resolved it (xml:lang, inherited from the feed). */
  language: string | null;
  link: string | null;
  links: ParsedLink[];
  published: string | null;
  updated: string | null;
  summary: string | null;
  summaryType: string | null;
  content: { type: string | null; value: string | null }[];
  tags: string[];
  author: string | null;
  enclosures: ParsedLink[];
  /** Media RSS `media:content` as feedparser reads it (url, type, medium, filesize, width, height). */
  mediaContent: Record<string, string>[];
  /** Media RSS `media:thumbnail` (url, width, height). */
  mediaThumbnail: Record<string, string>[];
}

/** A feed as feedparser sees it. `bozo` is feedparser's "this feed is broken" flag. */
export interface ParsedFeed {
  version: string;
  bozo: boolean;
  bozoException: string | null;
  feed: {
    id: string | null;
    title: string | null;
    titleType: string | null;
    language: string | null;
    updated: string | null;
    subtitle: string | null;
    links: ParsedLink[];
    /** RSS `<image>` or Atom `<logo>` (feedparser maps both here). */
    image: { href?: string; title?: string; link?: string } | null;
    /** Atom `<icon>`. */
    icon: string | null;
  };
  entries: ParsedEntry[];
}

const FEEDPARSER_TO_JSON = `
import base64, calendar, datetime, json, sys
import feedparser

def iso(parsed):
    if not parsed:
        return None
    ts = calendar.timegm(parsed)
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')

def detail(d, key):
    value = d.get(key)
    return value.get('type') if value else None

def links(items):
    return [{'rel': l.get('rel'), 'href': l.get('href'), 'type': l.get('type'),
             'length': l.get('length')} for l in items or []]

def parsed(raw):
    d = feedparser.parse(raw)
    f = d.feed
    return {
        'version': d.get('version', ''),
        'bozo': bool(d.bozo),
        'bozoException': str(d.get('bozo_exception')) if d.bozo else None,
        'feed': {
            'id': f.get('id'),
            'title': f.get('title'),
            'titleType': detail(f, 'title_detail'),
            'language': f.get('language') or (f.get('title_detail') or {}).get('language'),
            'updated': iso(f.get('updated_parsed')),
            'subtitle': f.get('subtitle'),
            'links': links(f.get('links')),
            'image': {k: v for k, v in f['image'].items() if k in ('href', 'title', 'link')} if f.get('image') else None,
            'icon': f.get('icon'),
        },
        'entries': [{
            'id': e.get('id'),
            'title': e.get('title'),
            'titleType': detail(e, 'title_detail'),
            'language': (e.get('title_detail') or {}).get('language'),
            'link': e.get('link'),
            'links': links(e.get('links')),
            'published': iso(e.get('published_parsed')),
            'updated': iso(e.get('updated_parsed')),
            'summary': e.get('summary'),
            'summaryType': detail(e, 'summary_detail'),
            'content': [{'type': c.get('type'), 'value': c.get('value')} for c in e.get('content', [])],
            'tags': [t.get('term') for t in e.get('tags', [])],
            'author': e.get('author'),
            'enclosures': links(e.get('enclosures')),
            'mediaContent': [dict(m) for m in e.get('media_content', [])],
            'mediaThumbnail': [dict(m) for m in e.get('media_thumbnail', [])],
        } for e in d.entries],
    }

# Batched: a JSON list of base64 documents in, a JSON list of results out (one process per list).
documents = json.load(sys.stdin)
json.dump([parsed(base64.b64decode(document)) for document in documents], sys.stdout)
`;

/** Parses `body` with feedparser, as a feed reader would. */
export function parseFeed(body: string): ParsedFeed {
  return parseFeeds([body])[0] as ParsedFeed;
}

/**
 * Parses each of `bodies` with feedparser in one Python process (a process per document costs
 * more than the parsing). The bytes are the UTF-8 a server would send, as for {@link parseFeed}.
 */
export function parseFeeds(bodies: readonly string[]): ParsedFeed[] {
  const input = JSON.stringify(bodies.map((body) => Buffer.from(body, 'utf8').toString('base64')));
  const run = spawnSync(PYTHON, ['-c', FEEDPARSER_TO_JSON], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`feedparser failed (${run.status}): ${run.stderr}`);
  }
  const parsed = JSON.parse(run.stdout) as ParsedFeed[];
  if (parsed.length !== bodies.length) throw new Error('feedparser skipped a document');
  return parsed;
}

/** xmllint's complaints about `body` (empty when the document is well-formed XML). */
export function xmllintErrors(body: string): string {
  const run = spawnSync('xmllint', ['--noout', '-'], { input: body, encoding: 'utf8' });
  return run.status === 0 ? '' : run.stderr || `xmllint exited with ${run.status}`;
}

/**
 * {@link xmllintErrors} for each of `bodies`, from one xmllint run over them as files: its
 * messages start with the file's name, which tells whose they are.
 */
export function xmllintErrorsOf(bodies: readonly string[]): string[] {
  if (bodies.length === 0) return [];
  const folder = mkdtempSync(join(tmpdir(), 'newsroom-xmllint-'));
  try {
    const names = bodies.map((body, i) => {
      writeFileSync(join(folder, `${i}.xml`), body);
      return `${i}.xml`;
    });
    const run = spawnSync('xmllint', ['--noout', ...names], { cwd: folder, encoding: 'utf8' });
    const errors = bodies.map(() => '');
    let current = -1;
    for (const line of run.stderr.split(/(?<=\n)/)) {
      const named = /^(\d+)\.xml:/.exec(line);
      if (named) current = Number(named[1]);
      if (current >= 0) errors[current] += line.replace(/^\d+\.xml:/, '-:');
    }
    if (run.status !== 0 && errors.every((error) => error === '')) {
      throw new Error(`xmllint exited with ${run.status}: ${run.stderr}`);
    }
    return errors;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * What keeps `text` from being a JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/):
 * version, title and items required; every item a string `id` and `content_html` or
 * `content_text`; dates RFC 3339; URLs absolute; ids unique. Empty when there is nothing to say.
 */
export function jsonFeedProblems(text: string): string[] {
  const problems: string[] = [];
  let feed: Record<string, unknown>;
  try {
    feed = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return [`not JSON: ${String(error)}`];
  }
  if (feed.version !== 'https://jsonfeed.org/version/1.1') problems.push('version is not 1.1');
  if (typeof feed.title !== 'string' || feed.title === '') problems.push('title missing');
  for (const key of ['home_page_url', 'feed_url']) {
    if (feed[key] !== undefined && !isAbsoluteUrl(feed[key])) problems.push(`${key} not absolute`);
  }
  if ('author' in feed) problems.push('author is deprecated in 1.1 (use authors)');
  if (!Array.isArray(feed.items)) return [...problems, 'items missing'];
  const ids = new Set<string>();
  feed.items.forEach((raw: unknown, i: number) => {
    const item = raw as Record<string, unknown>;
    if (typeof item.id !== 'string' || item.id === '') problems.push(`item ${i}: id missing`);
    else if (ids.has(item.id)) problems.push(`item ${i}: duplicate id ${item.id}`);
    else ids.add(item.id);
    if (typeof item.content_html !== 'string' && typeof item.content_text !== 'string') {
      problems.push(`item ${i}: content_html or content_text missing`);
    }
    for (const key of ['url', 'image']) {
      if (item[key] !== undefined && !isAbsoluteUrl(item[key])) problems.push(`item ${i}: ${key}`);
    }
    for (const key of ['date_published', 'date_modified']) {
      const value = item[key];
      if (value !== undefined && !isRfc3339(value)) problems.push(`item ${i}: ${key} not RFC 3339`);
    }
    if ('author' in item) problems.push(`item ${i}: author is deprecated in 1.1 (use authors)`);
    if (item.tags !== undefined && !isStringArray(item.tags)) problems.push(`item ${i}: tags`);
  });
  return problems;
}

function isAbsoluteUrl(value: unknown): boolean {
  return typeof value === 'string' && URL.canParse(value) && /^https?:\/\//.test(value);
}

function isRfc3339(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)
  );
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}
