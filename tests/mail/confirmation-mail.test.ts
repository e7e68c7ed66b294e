import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createConfirmationSender,
  renderConfirmationMail,
} from '../../src/mail/confirmation-mail.js';
import { createSesMailer } from '../../src/mail/ses-mailer.js';
import { SlotTemplate, TemplateError } from '../../src/mail/template-slots.js';
import { MjmlTemplates } from '../../src/mail/templates.js';
import type { Mailer, OutgoingMail } from '../../src/shared/ports.js';
import en from '../../templates/strings/en.json' with { type: 'json' };
import fi from '../../templates/strings/fi.json' with { type: 'json' };
import sv from '../../templates/strings/sv.json' with { type: 'json' };
import { type LocalSes, startLocalSes } from '../support/ses.js';

const site = { title: 'Esimerkkilä & Co', url: 'https://tiedotteet.esimerkkila.fi' };
const confirmUrl = 'https://tiedotteet.esimerkkila.fi/api/confirm?token=abc&x="<y>"';

// Every language having every key, none empty: tests/shared/strings.test.ts.

describe('confirmation mail', () => {
  const templates = new MjmlTemplates(site);

  test.each(['fi', 'sv', 'en'] as const)(
    'renders %s: lang, preheader, dark mode, escaped link',
    async (lang) => {
      const mail = await renderConfirmationMail(templates, site, lang, confirmUrl);
      const strings = { fi, sv, en }[lang].mail.confirm;
      expect(mail.html).toMatch(new RegExp(`<html lang="${lang}"`));
      expect(mail.html).toContain('<meta name="color-scheme" content="light dark">');
      expect(mail.html).toContain('prefers-color-scheme: dark');
      expect(mail.html).toContain(strings.preheader.replace('{site}', 'Esimerkkilä &amp; Co'));
      expect(mail.html).toContain(
        'href="https://tiedotteet.esimerkkila.fi/api/confirm?token=abc&amp;x=&quot;&lt;y&gt;&quot;"',
      );
      expect(mail.html).not.toContain('{{');
      expect(mail.html).not.toContain('[[');
      expect(mail.html).not.toContain('"<y>"');
      expect(mail.subject).toBe(strings.subject.replace('{site}', site.title));
      expect(mail.text).toContain(confirmUrl);
      expect(mail.text).toContain(strings.ignore);
    },
  );

  test('compiles each language once and reuses it', async () => {
    const cache = new MjmlTemplates(site);
    const first = cache.compile('confirm', 'fi');
    expect(cache.compile('confirm', 'fi')).toBe(first);
    expect(cache.compile('confirm', 'sv')).not.toBe(first);
    const compiled = await first;
    expect(compiled.fill({ confirmUrl: 'https://a/b' })).toContain('href="https://a/b"');
  });

  test('an unknown template is refused; placeholders must all be filled', async () => {
    const templates = new MjmlTemplates(site);
    await expect(templates.compile('../confirm', 'fi')).rejects.toThrow(TemplateError);
    await expect(templates.compile('toString', 'fi')).rejects.toThrow(TemplateError);
    expect(() => SlotTemplate.html('<a href="{{confirmUrl}}">').fill({})).toThrow(TemplateError);
  });

  test('the site title and URL fill their slots in one pass, escaped', async () => {
    const odd = { title: 'A [[site.url]] & <B>', url: 'https://x.example/?a=1&b=2' };
    const { html } = await new MjmlTemplates(odd).compile('confirm', 'en');
    expect(html).toContain('A [[site.url]] &amp; &lt;B&gt;');
    expect(html).toContain('href="https://x.example/?a=1&amp;b=2/"');
    expect(html).not.toContain('[[site.title]]');
  });

  test('no function bundles mjml: the API carries the precompiled templates', async () => {
    const inputs = async (entry: string) => {
      const result = await build({
        entryPoints: [fileURLToPath(new URL(`../../functions/${entry}`, import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        metafile: true,
        external: ['typescript'],
        logLevel: 'silent',
      });
      return Object.keys(result.metafile.inputs);
    };
    const notifications = await inputs('ses-notifications.ts');
    expect(notifications.some((p) => p.includes('node_modules/mjml'))).toBe(false);
    expect(notifications.some((p) => p.includes('src/subscribers/ses-feedback.ts'))).toBe(true);
    const api = await inputs('subscriptions-api.ts');
    expect(api.some((p) => p.includes('node_modules/mjml'))).toBe(false);
    expect(api).toContain('templates/compiled/confirm.json');
  });
});

describe('sending through SES', () => {
  let ses: LocalSes;
  beforeAll(async () => {
    ses = await startLocalSes();
  });
  afterAll(() => ses.stop());

  test('the SES mailer delivers the composed confirmation to the local endpoint', async () => {
    await ses.clear();
    const sent: OutgoingMail[] = [];
    const sesMailer = createSesMailer({ endpoint: ses.endpoint });
    const recording: Mailer = {
      async send(mail) {
        sent.push(mail);
        return sesMailer.send(mail);
      },
    };
    const send = createConfirmationSender({
      templates: new MjmlTemplates(site),
      site,
      from: { name: 'Esimerkkilä', address: 'uutiset@esimerkkila.fi' },
      mailer: recording,
      clock: () => new Date('2025-03-01T10:00:00Z'),
    });
    await send({ to: 'anna@example.fi', lang: 'sv', confirmUrl });

    const [email] = await ses.emails();
    expect(email?.destination.to).toEqual(['anna@example.fi']);
    expect(email?.subject).toBe(sv.mail.confirm.subject.replace('{site}', site.title));
    expect(email?.body.html).toContain('<html lang="sv"');
    // The message as built (SES's store drops raw headers): transactional, so no list headers.
    const parsed = await simpleParser(Buffer.from(sent[0]?.raw ?? []));
    expect(parsed.from?.value[0]).toEqual({
      name: 'Esimerkkilä',
      address: 'uutiset@esimerkkila.fi',
    });
    expect(parsed.headers.has('list')).toBe(false);
    expect(sent[0]?.from).toBe('uutiset@esimerkkila.fi');
  });
});
