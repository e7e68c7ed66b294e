import { beforeAll, describe, expect, it } from 'vitest';
import { compileMjml } from '../../scripts/precompile-mail.js';
import { personalize, prepareIssue, releasesFor } from '../../src/digest/render.js';
import { loadTemplateSource, VariantCache } from '../../src/digest/templates.js';
import type { MailKind } from '../../src/digest/types.js';
import { renderConfirmationMail } from '../../src/mail/confirmation-mail.js';
import { MjmlTemplates } from '../../src/mail/templates.js';
import { buildSite } from '../../src/site/build.js';
import {
  confirmedPage,
  messagePage,
  notSubscribedPage,
  type PageSite,
  preferencesPage,
  subscribeErrorPage,
  unsubscribePage,
} from '../../src/subscribers/http/pages.js';
import { LANGS } from '../../src/subscribers/types.js';
import { recipient } from '../digest/fixtures.js';
import { byTag, parseHtml } from '../pages/html-check.js';
import { awkwardReleases, realisticReleases, TEST_SITE } from '../support/releases.js';

/**
 * No mail and no page makes a reader's mail client or browser load anything from a third party:
 * no web fonts, style sheets, scripts, images or pixels from elsewhere — only links, and media
 * from the site itself. Every mail (confirmation, immediate, daily and weekly digest, in every
 * language) and every page (the site's and the subscription pages) is rendered and scanned,
 * comments (Outlook's conditional blocks) included.
 */

const SITE = TEST_SITE;
const ORIGIN = new URL(SITE.siteUrl).origin;
const NOW = new Date('2026-11-30T12:00:00Z');
const RESOURCE_RELS =
  /\b(stylesheet|icon|preload|prefetch|preconnect|dns-prefetch|modulepreload|manifest|apple-touch-icon|import)\b/i;

/** Every URL in `html` that a browser or mail client would fetch on its own, with where it is. */
function fetchedUrls(html: string): { where: string; url: string }[] {
  const found: { where: string; url: string }[] = [];
  const attribute =
    /\b(src|srcset|background|poster|data|action|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  for (const match of html.matchAll(attribute)) {
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    const urls =
      match[1]?.toLowerCase() === 'srcset'
        ? value.split(',').map((s) => s.trim().split(/\s+/)[0] ?? '')
        : [value];
    for (const url of urls) found.push({ where: `${match[1]}=`, url });
  }
  for (const tag of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = /\brel\s*=\s*["']?([^"'>]*)/i.exec(tag[0])?.[1] ?? '';
    const href = /\bhref\s*=\s*["']?([^"'\s>]*)/i.exec(tag[0])?.[1];
    if (href !== undefined && RESOURCE_RELS.test(rel))
      found.push({ where: `link rel=${rel}`, url: href });
  }
  for (const match of html.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/gi)) {
    found.push({ where: 'css url()', url: match[2] ?? '' });
  }
  for (const match of html.matchAll(/@import\s+(?:url\()?\s*['"]?([^'")\s;]+)/gi)) {
    found.push({ where: '@import', url: match[1] ?? '' });
  }
  for (const match of html.matchAll(/<meta\b[^>]*http-equiv\s*=\s*["']?refresh[^>]*>/gi)) {
    found.push({ where: 'meta refresh', url: /url=([^"'>]*)/i.exec(match[0])?.[1] ?? '' });
  }
  return found;
}

/** The fetched URLs that are not the site's own (data: and cid: are part of the message). */
function thirdParty(html: string): string[] {
  return fetchedUrls(html)
    .filter(({ url }) => {
      const resolved = new URL(url.replaceAll('&amp;', '&'), `${SITE.siteUrl}/`);
      if (resolved.protocol === 'data:' || resolved.protocol === 'cid:') return false;
      return resolved.origin !== ORIGIN;
    })
    .map(({ where, url }) => `${where} ${url}`);
}

/** Links that would not open in a new tab, or would hand the opener to the page. */
function framedLinks(html: string): string[] {
  return byTag(parseHtml(html).root, 'a')
    .filter((a) => a.attrs.target !== '_blank' || !/\bnoopener\b/.test(a.attrs.rel ?? ''))
    .map((a) => a.attrs.href ?? '(no href)');
}

const releases = [...realisticReleases(SITE), ...awkwardReleases(SITE)];
const mails: [string, string][] = [];
const pages: [string, string][] = [];

beforeAll(async () => {
  const templates = new MjmlTemplates({ title: SITE.title, url: SITE.siteUrl });
  const variants = new VariantCache(loadTemplateSource(), SITE);
  const kinds: MailKind[] = ['daily', 'weekly', 'immediate'];
  for (const lang of LANGS) {
    const confirm = await renderConfirmationMail(
      templates,
      { title: SITE.title, url: SITE.siteUrl },
      lang,
      `${SITE.siteUrl}/api/confirm?token=tok`,
    );
    mails.push([`confirmation (${lang})`, confirm.html]);
    const reader = recipient(`reader-${lang}`, { lang, languages: [] });
    for (const kind of kinds) {
      const wanted = releasesFor(reader, releases);
      const chosen = kind === 'immediate' ? wanted.filter((r) => r.image).slice(0, 1) : wanted;
      const issue = prepareIssue(await variants.variant(kind, lang), chosen, SITE, NOW);
      mails.push([`${kind} (${lang})`, personalize(issue, reader, chosen).html]);
    }
  }
  for (const file of buildSite(releases, SITE, NOW).files) {
    if (file.path.endsWith('.html')) pages.push([file.path, String(file.body)]);
  }
  const site: PageSite = { title: SITE.title, url: SITE.siteUrl };
  const subscriber = {
    id: 'id',
    address: 'asukas@example.fi',
    addressHash: 'hash',
    categories: ['tiedote'],
    frequency: 'daily' as const,
    consent: {
      requestedAt: '',
      ip: '',
      userAgent: '',
      channel: 'json' as const,
      lang: 'fi' as const,
    },
    updatedAt: '',
  };
  for (const lang of LANGS) {
    pages.push([`api unsubscribe (${lang})`, unsubscribePage(lang, site).body]);
    pages.push([
      `api confirmed (${lang})`,
      confirmedPage({ ...subscriber, lang }, [], site, `${SITE.siteUrl}/api/preferences?token=t`)
        .body,
    ]);
    pages.push([`api not subscribed (${lang})`, notSubscribedPage(lang, site).body]);
    pages.push([
      `api subscribe error (${lang})`,
      subscribeErrorPage(
        400,
        'x',
        { email: 'a@', lang, categories: [], frequency: 'daily', emailInvalid: true },
        [],
        site,
        `${SITE.siteUrl}/`,
      ).body,
    ]);
    pages.push([
      `api preferences (${lang})`,
      preferencesPage({ ...subscriber, lang }, [], site, true).body,
    ]);
    pages.push([
      `api message (${lang})`,
      messagePage(200, lang, site, (t) => t.subscription.subscribed).body,
    ]);
  }
}, 120_000);

describe('no third party in any mail or page', () => {
  it('renders every mail: confirmation, immediate, daily and weekly, in fi, sv and en, with images', () => {
    expect(mails).toHaveLength(12);
    // The digests carry the releases' own images (the site's media): the scan has real URLs to judge.
    expect(
      mails.filter(([, html]) => /<img\b[^>]*src="https:\/\/tiedotteet\.example\.fi\//.test(html))
        .length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('no mail loads anything from a third party (no Google Fonts, no pixels)', () => {
    for (const [name, html] of mails)
      expect({ name, found: thirdParty(html) }).toEqual({ name, found: [] });
  });

  it('every link in every mail opens in a new tab without handing over its opener', () => {
    for (const [name, html] of mails)
      expect({ name, framed: framedLinks(html) }).toEqual({ name, framed: [] });
  });

  it('no page of the site or of the subscription API loads anything from a third party', () => {
    expect(pages.length).toBeGreaterThan(20);
    for (const [name, html] of pages)
      expect({ name, found: thirdParty(html) }).toEqual({ name, found: [] });
  });

  it('the scan finds each kind of third-party resource (its own control)', () => {
    const vectors = [
      '<link href="https://fonts.googleapis.com/css?family=Roboto" rel="stylesheet" type="text/css">',
      '<style>@import url(https://fonts.googleapis.com/css?family=Roboto);</style>',
      "<style>@import 'https://cdn.example.com/x.css';</style>",
      '<img src="https://tracker.example.com/pixel.gif" width="1" height="1">',
      '<img srcset="/own.png 1x, https://cdn.example.com/b.png 2x">',
      '<td background="https://cdn.example.com/bg.png">',
      '<div style="background-image:url(\'//cdn.example.com/bg.png\')">',
      '<!--[if mso]><v:fill src="https://cdn.example.com/v.png"/><![endif]-->',
      '<script src="https://cdn.example.com/x.js"></script>',
      '<iframe src="https://www.example.com/"></iframe>',
      '<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">',
    ];
    for (const vector of vectors) expect(thirdParty(vector).length, vector).toBeGreaterThan(0);
    expect(
      thirdParty(
        `<img src="${SITE.siteUrl}/kuvat/a.jpg"><a href="https://elsewhere.example/">x</a>`,
      ),
    ).toEqual([]);
  });

  it('MJML on its own would add Google Fonts for a font it knows; our compile never does', async () => {
    const mjml =
      '<mjml><mj-head><mj-attributes><mj-all font-family="Roboto, sans-serif" /></mj-attributes></mj-head><mj-body><mj-section><mj-column><mj-text>Hei</mj-text></mj-column></mj-section></mj-body></mjml>';
    const { default: mjml2html } = await import('mjml');
    expect((await mjml2html(mjml)).html).toContain('fonts.googleapis.com');
    expect(thirdParty(await compileMjml(mjml, 'a test template', false))).toEqual([]);
  });
});
