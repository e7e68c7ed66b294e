/**
 * The one slot engine of every mail (src/mail/template-slots.ts): site slots filled once, in one
 * pass, per template and language; per-message slots filled per recipient; one TemplateError.
 */
import { describe, expect, it } from 'vitest';
import { loadTemplateSource, siteFilled } from '../../src/digest/templates.js';
import { fillSiteSlots, SlotTemplate, TemplateError } from '../../src/mail/template-slots.js';
import { SITE } from '../digest/fixtures.js';

describe('site slots', () => {
  it('fill in one pass: a value that looks like a slot stays as it is', () => {
    const values = { 'site.title': '[[site.url]] & co', 'site.url': 'https://x.example' };
    expect(fillSiteSlots('[[site.title]] <[[site.url]]/>', values, (v) => v)).toBe(
      '[[site.url]] & co <https://x.example/>',
    );
  });

  it('name the slot a template has and the caller does not fill', () => {
    expect(() => fillSiteSlots('[[city]]', { 'site.title': 'A' }, (v) => v)).toThrow(
      new TemplateError('Unknown slot [[city]] in a template'),
    );
  });

  it('are the same in the digest: the title and URL as given, escaped in HTML only', () => {
    const site = { ...SITE, title: 'A [[heading]] & <B>', siteUrl: 'https://x.example/?a=1&b=2' };
    for (const kind of ['daily', 'weekly', 'immediate'] as const) {
      const { html, text } = siteFilled(loadTemplateSource(), site, kind, 'fi');
      expect(html).toContain('A [[heading]] &amp; &lt;B&gt;');
      expect(html).toContain('href="https://x.example/?a=1&amp;b=2/"');
      expect(text).toContain('A [[heading]] & <B>');
      expect(text).toContain('https://x.example/?a=1&b=2/');
      expect(`${html}${text}`).not.toMatch(/\[\[(site\.title|site\.url|digest\.\w+|lang)\]\]/);
    }
  });
});

describe('per-message slots', () => {
  it('escape {{name}} in HTML, insert {{{name}}} as it is, and refuse a missing value', () => {
    const template = SlotTemplate.html('<p title="{{a}}">{{{b}}}</p>');
    expect(template.fill({ a: '"<x>"', b: '<i>y</i>' })).toBe(
      '<p title="&quot;&lt;x&gt;&quot;"><i>y</i></p>',
    );
    expect(() => template.fill({ a: 'x' })).toThrow(TemplateError);
    expect(SlotTemplate.text('{{a}}').fill({ a: '<&>' })).toBe('<&>');
  });
});
