/**
 * The MJML precompile (scripts/precompile-mail.ts): the committed output is what the sources
 * compile to, and filling its site slots at run time gives exactly what a fresh MJML compile with
 * the site's values gives, for every template, language and kind.
 */
import { describe, expect, it } from 'vitest';
import {
  compileMjml,
  referenceConfirmHtml,
  referenceDigestHtml,
  staleFiles,
} from '../../scripts/precompile-mail.js';
import { loadTemplateSource, siteFilled } from '../../src/digest/templates.js';
import { MjmlTemplates } from '../../src/mail/templates.js';
import { LANGS } from '../../src/subscribers/types.js';
import { TEST_SITE } from '../support/releases.js';

// Values that would show any escaping or substitution difference between the two paths.
const SITE = {
  ...TEST_SITE,
  title: `Säkylä & "Sons" <Ltd> it's [[city]]`,
  siteUrl: 'https://x.example/a?b=1&c=2',
};

describe('precompiled mail templates', () => {
  it('are committed fresh: templates/compiled/ is what the MJML sources compile to', async () => {
    // If this fails after editing templates/ or strings, run `npm run templates` and commit.
    expect(await staleFiles()).toEqual([]);
  }, 60_000);

  it.each(LANGS)(
    'confirmation mail (%s) equals a fresh MJML compile with the site values',
    async (lang) => {
      const site = { title: SITE.title, url: SITE.siteUrl };
      const { html } = await new MjmlTemplates(site).compile('confirm', lang);
      expect(html).toBe(await referenceConfirmHtml(lang, site));
    },
  );

  it.each(
    LANGS.flatMap((lang) =>
      (['daily', 'weekly', 'immediate'] as const).map((kind) => [kind, lang] as const),
    ),
  )('digest %s mail (%s) equals a fresh MJML compile with the site values', async (kind, lang) => {
    const { html } = siteFilled(loadTemplateSource(), SITE, kind, lang);
    const file = kind === 'immediate' ? 'immediate' : 'digest';
    const reference = await referenceDigestHtml(file, lang, kind, {
      title: SITE.title,
      url: SITE.siteUrl,
    });
    expect(html).toBe(reference);
    expect(html).toContain('Säkylä &amp; &quot;Sons&quot; &lt;Ltd&gt; it&#39;s [[city]]');
  });

  it('load no third-party fonts, even for a font MJML knows (Roboto)', async () => {
    const roboto =
      '<mjml><mj-head><mj-attributes><mj-all font-family="Roboto, Arial" /></mj-attributes></mj-head>' +
      '<mj-body><mj-section><mj-column><mj-text>Hei</mj-text></mj-column></mj-section></mj-body></mjml>';
    expect(await compileMjml(roboto, 'roboto.mjml', false)).not.toMatch(/googleapis|@import|<link/);
    const source = loadTemplateSource();
    for (const lang of LANGS) {
      expect(source.html.digest[lang]).not.toMatch(/googleapis|@import|<link/);
      const { html } = await new MjmlTemplates({ title: 'T', url: 'https://t.example' }).compile(
        'confirm',
        lang,
      );
      expect(html).not.toMatch(/googleapis|@import|<link/);
    }
  });

  it('fail loudly on MJML that does not pass strict validation', async () => {
    const broken =
      '<mjml><mj-body><mj-column bogus="1"><mj-text>x</mj-text></mj-column></mj-body></mjml>';
    await expect(compileMjml(broken, 'broken.mjml', false)).rejects.toThrow(
      /broken.mjml is not valid MJML/,
    );
  });
});
