import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store.js';
import { type LocalWebServer, startWebServer } from '../../src/local/web.js';
import { SITE_INDEX_KEY } from '../../src/pipeline/state-keys.js';
import sv from '../../templates/strings/sv.json' with { type: 'json' };
import { byTag, type HtmlElement, parseHtml, readable } from '../pages/html-check.js';
import { freshBucket, type LocalS3, startTestS3 } from '../support/s3.js';
import { type LocalSes, startLocalSes } from '../support/ses.js';
import { SECRET, subscriptionsApiEnv } from './helpers.js';

// Forms that forgive, through the real subscriptions function behind the local web server on
// loopback (HTTP, as a browser talks to it), every page parsed by html5lib.

const SITE = 'https://tiedotteet.example.fi';
let s3: LocalS3;
let ses: LocalSes;
let bucket: S3ObjectStore;
let web: LocalWebServer;

beforeAll(async () => {
  [s3, ses] = await Promise.all([startTestS3(), startLocalSes()]);
  bucket = await freshBucket(s3, 'forms');
  const publicBucket = await freshBucket(s3, 'forms-public');
  // The categories residents can choose: the site index the publisher keeps.
  await bucket.put(
    SITE_INDEX_KEY,
    JSON.stringify({
      version: 1,
      categories: [
        { slug: 'blogi', name: 'Blogi' },
        { slug: 'tiedote', name: 'Tiedote' },
      ],
      langs: ['fi'],
      years: [],
      months: [],
    }),
  );
  await bucket.put('releases/site.json', JSON.stringify({ name: { sv: 'Exempelby stad' } }));
  Object.assign(
    process.env,
    subscriptionsApiEnv({
      secret: SECRET,
      bucket: bucket.bucket,
      s3Endpoint: s3.endpoint,
      sesEndpoint: ses.endpoint,
      siteUrl: SITE,
    }),
  );
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const { handler } = await import('../../functions/subscriptions-api.js');
  web = await startWebServer({
    port: 0,
    s3: s3.client,
    publicBucket: publicBucket.bucket,
    api: handler,
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await web?.stop();
  await Promise.all([s3?.stop(), ses?.stop()]);
});

/** `url` (an address on the site, or a path) over HTTP on loopback. */
async function request(url: string, fields?: [string, string][], headers = {}) {
  const local = `${web.url}${url.replace(SITE, '').replaceAll('&amp;', '&')}`;
  const response = await fetch(local, {
    method: fields === undefined ? 'GET' : 'POST',
    headers: {
      origin: SITE,
      ...(fields === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      ...headers,
    },
    ...(fields === undefined ? {} : { body: new URLSearchParams(fields).toString() }),
    redirect: 'manual',
  });
  const html = await response.text();
  const { errors, root } = parseHtml(html);
  expect(errors).toEqual([]);
  return { status: response.status, root, html };
}

function fieldValues(root: HtmlElement) {
  const inputs = byTag(root, 'input');
  return {
    email: inputs.find((input) => input.attrs.name === 'email')?.attrs.value,
    checked: inputs
      .filter((input) => input.attrs.checked !== undefined)
      .map((input) => `${input.attrs.name}=${input.attrs.value}`),
    lang: byTag(root, 'option').find((option) => option.attrs.selected !== undefined)?.attrs.value,
  };
}

function summaryOf(root: HtmlElement): string {
  return readable(byTag(root, 'p', { class: 'summary' })[0]?.text ?? '');
}

async function linkFromMail(to: string, path: string): Promise<string> {
  const mails = (await ses.emails()).filter((mail) => mail.destination.to.includes(to));
  const text = mails.map((mail) => `${mail.body.html ?? ''}${mail.body.text ?? ''}`).join('');
  const match = new RegExp(`${SITE}/api/${path}\\?token=[\\w-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in the mail to ${to}`);
  return match[0];
}

describe('forms that forgive', () => {
  it('answer a mistyped address with the form again, everything kept, and a way back', async () => {
    const typed: [string, string][] = [
      ['email', 'anna@@example'],
      ['lang', 'sv'],
      ['categories', 'tiedote'],
      ['frequency', 'weekly'],
      ['website', ''],
    ];
    const page = await request('/api/subscribe', typed, { referer: `${SITE}/archive/2025.html` });
    expect(page.status).toBe(400);
    expect(page.root.attrs.lang).toBe('sv');
    expect(byTag(page.root, 'p', { role: 'alert' })[0]?.text).toBe(
      sv.subscription.errors['email-syntax'],
    );
    expect(fieldValues(page.root)).toEqual({
      email: 'anna@@example',
      checked: ['categories=tiedote', 'frequency=weekly'],
      lang: 'sv',
    });
    const email = byTag(page.root, 'input').find((input) => input.attrs.name === 'email');
    expect(email?.attrs['aria-invalid']).toBe('true');
    const form = byTag(page.root, 'form')[0];
    expect(form?.attrs).toMatchObject({ method: 'post', action: '/api/subscribe' });
    // Both categories are offered, named in Swedish; the link goes back to the page it came from.
    expect(byTag(page.root, 'label').map((label) => readable(label.text))).toEqual(
      expect.arrayContaining(['Blogg', 'Pressmeddelande']),
    );
    expect(byTag(page.root, 'a').map((a) => a.attrs.href)).toContain(`${SITE}/archive/2025.html`);
    expect(byTag(page.root, 'title')[0]?.text).toContain('Exempelby stad');

    // Sent again from that page, fixed, it is accepted; without a referer the way back is the form.
    const fixed = await request('/api/subscribe', [
      ...typed.slice(1),
      ['email', 'anna@example.fi'],
    ]);
    expect(fixed.status).toBe(200);
    const noReferer = await request('/api/subscribe', [['email', '']]);
    expect(byTag(noReferer.root, 'a').map((a) => a.attrs.href)).toContain(`${SITE}/#subscribe`);
  });

  it('say what the subscription is, let a ticked category mean "only these", and forgive a stale link', async () => {
    const address = 'bertil@example.fi';
    await request('/api/subscribe', [
      ['email', address],
      ['lang', 'sv'],
      ['categories', 'tiedote'],
      ['frequency', 'weekly'],
    ]);
    const confirmed = await request(await linkFromMail(address, 'confirm'));
    expect(confirmed.status).toBe(200);
    expect(summaryOf(confirmed.root)).toBe(
      'Din prenumeration: språk: svenska · bara: Pressmeddelande · En gång i veckan',
    );
    const preferencesUrl = byTag(confirmed.root, 'a')
      .map((a) => a.attrs.href ?? '')
      .find((href) => href.includes('/api/preferences'));
    if (preferencesUrl === undefined) throw new Error('no preferences link');
    const preferences = await request(preferencesUrl);
    expect(summaryOf(preferences.root)).toContain('bara: Pressmeddelande');

    // "All" left on, but a second box ticked: the ticks win.
    const saved = await request(preferencesUrl, [
      ['action', 'save'],
      ['scope', 'all'],
      ['categories', 'tiedote'],
      ['categories', 'blogi'],
      ['frequency', 'daily'],
    ]);
    expect(summaryOf(saved.root)).toBe(
      'Din prenumeration: språk: svenska · bara: Blogg, Pressmeddelande · En gång om dagen',
    );
    // "All" chosen with the boxes as they were: every category.
    const all = await request(preferencesUrl, [
      ['action', 'save'],
      ['scope', 'all'],
      ['categories', 'blogi'],
      ['categories', 'tiedote'],
    ]);
    expect(summaryOf(all.root)).toContain(sv.subscription.preferences.allCategories);

    // Unsubscribed, the same preferences link says so and offers the form again.
    await request(preferencesUrl.replace('/api/preferences', '/api/unsubscribe'), [
      ['List-Unsubscribe', 'One-Click'],
    ]);
    const gone = await request(preferencesUrl, undefined, { 'accept-language': 'sv' });
    expect(gone.status).toBe(410);
    expect(byTag(gone.root, 'h1')[0]?.text).toBe(sv.subscription.notSubscribed.title);
    expect(byTag(gone.root, 'a').map((a) => a.attrs.href)).toContain(`${SITE}/#subscribe`);
    // A broken link is still a broken link.
    const broken = await request('/api/preferences?token=abc', undefined, {
      'accept-language': 'sv',
    });
    expect(broken.status).toBe(400);
    expect(byTag(broken.root, 'h1')[0]?.text).toBe(sv.subscription.invalid.title);
  });
});
