import type { Release } from '../release/types.js';
import { formatLocal } from '../shared/local-time.js';
import { interpolate } from '../shared/strings.js';
import { escapeHtml } from '../shared/text.js';
import { categoryLabel } from '../site/categories.js';
import type { SiteConfig } from '../site/config.js';
import { newestFirst } from '../site/order.js';
import { wantsCategory } from '../subscribers/types.js';
import type { CompiledVariant, DigestStrings } from './templates.js';
import type { DigestRecipient, MailKind } from './types.js';

/**
 * At most this many releases go into one mail; the rest are pointed to on the site. With the
 * display limits below it keeps the HTML under Gmail's ~102 KB clipping size (see the tests).
 */
export const MAX_ITEMS = 30;
const MAX_TITLE = 200;
const MAX_SUMMARY = 400;
const MAX_PREHEADER = 140;

/** One release rendered for one variant: the same for every recipient who gets it. */
interface RenderedItem {
  html: string;
  text: string;
}

/**
 * A mail kind and language with this run's releases already rendered into items: built once per
 * variant per run, so per-recipient work is choosing items and filling a handful of slots.
 */
export interface PreparedIssue {
  variant: CompiledVariant;
  site: SiteConfig;
  /** Every release of the run, newest first. */
  releases: readonly Release[];
  /** The slot the run is for, formatted in this language (subject, period). */
  dateLabel: string;
  items: ReadonlyMap<string, RenderedItem>;
  categoryNames: ReadonlyMap<string, string>;
}

/** Subject, HTML and text of one recipient's mail. */
export interface PersonalizedMail {
  subject: string;
  html: string;
  text: string;
}

/** Formats an instant the way the language writes a date and time, e.g. `9.4.2020 klo 18.33`. */
function formatDateTime(date: Date, format: string, lang: string, timeZone: string): string {
  return formatLocal(date, format, lang, timeZone);
}

/** Renders every release of the run into the variant's item blocks (HTML and text), once. */
export function prepareIssue(
  variant: CompiledVariant,
  releases: readonly Release[],
  site: SiteConfig,
  slot: Date,
): PreparedIssue {
  const { strings, lang } = variant;
  const sorted = newestFirst(releases);
  const items = new Map<string, RenderedItem>();
  const categoryNames = new Map<string, string>();
  for (const release of sorted) {
    // The category in the mail's language (Pressmeddelande for a Swedish mail), whoever wrote it.
    const category = categoryLabel(release.categorySlug, lang, release.category, site.categories);
    categoryNames.set(release.categorySlug, category);
    const title = truncate(release.title, MAX_TITLE);
    const values = {
      title,
      url: release.url,
      date: formatDateTime(release.published, strings.dateTime ?? '', lang, site.timeZone),
      category,
      summary: truncate(release.summary ?? '', MAX_SUMMARY),
      image: release.image ?? '',
      // Empty on purpose when the release describes no picture: decorative, not a file name read out.
      imageAlt: release.imageAlt ?? '',
      readMoreLabel: interpolate(strings.readMoreLabel ?? '', { title }),
    };
    const html = release.image ? variant.html.itemWithImage : variant.html.item;
    const kicker = truncate(release.kicker ?? '', MAX_TITLE);
    items.set(release.id, {
      html: html.fill({ ...values, kicker: kickerHtml(kicker) }),
      text: variant.text.item.fill({ ...values, kicker: kicker === '' ? '' : `${kicker}\n` }),
    });
  }
  return {
    variant,
    site,
    releases: sorted,
    dateLabel: formatDateTime(slot, strings.date ?? '', lang, site.timeZone),
    items,
    categoryNames,
  };
}

/** The releases this recipient asked for (their categories and languages), newest first. */
export function releasesFor(recipient: DigestRecipient, releases: readonly Release[]): Release[] {
  const wanted = releases.filter(
    (release) =>
      wantsCategory(recipient, release.categorySlug) &&
      (recipient.languages.length === 0 || recipient.languages.includes(release.lang)),
  );
  return oneVersionEach(wanted, recipient.lang);
}

/**
 * One language version of each translated release (`translationKey`): the one in `lang` when
 * there is one, else the first given. A subscriber never gets the same release twice.
 */
function oneVersionEach(releases: readonly Release[], lang: string): Release[] {
  const chosen = new Map<string, Release>();
  for (const release of releases) {
    if (release.translationKey === undefined) continue;
    const current = chosen.get(release.translationKey);
    if (current === undefined || (release.lang === lang && current.lang !== lang)) {
      chosen.set(release.translationKey, release);
    }
  }
  return releases.filter(
    (release) =>
      release.translationKey === undefined || chosen.get(release.translationKey) === release,
  );
}

/**
 * One recipient's mail from a prepared issue: their releases' items joined, their address, topics
 * and links filled in (escaped). `releases` must come from the issue (see {@link releasesFor}).
 */
export function personalize(
  issue: PreparedIssue,
  recipient: DigestRecipient,
  releases: readonly Release[],
): PersonalizedMail {
  const { strings, kind } = issue.variant;
  const sorted = newestFirst(releases);
  const shown = sorted.slice(0, MAX_ITEMS);
  let itemsHtml = '';
  let itemsText = '';
  for (const release of shown) {
    const item = issue.items.get(release.id);
    if (!item) continue;
    itemsHtml += item.html;
    itemsText += item.text;
  }
  const count = releases.length;
  const countTemplate = count === 1 ? strings['count.one'] : strings['count.many'];
  const countLabel = interpolate(countTemplate ?? '', { count: String(count) });
  const first = sorted[0];
  const subject = interpolate(strings[`subject.${kind}`] ?? '', {
    city: issue.site.title,
    date: issue.dateLabel,
    title: truncate(first?.title ?? '', 120),
  });
  const hidden = count - shown.length;
  const values = {
    subject,
    preheader: preheader(kind, countLabel, shown),
    period: issue.dateLabel,
    count: countLabel,
    more: hidden > 0 ? interpolate(strings.more ?? '', { site: issue.site.siteUrl }) : '',
    why: interpolate(strings.why ?? '', {
      email: recipient.email,
      topics: topics(strings, kind, recipient, issue.categoryNames),
    }),
    unsubscribeUrl: recipient.unsubscribeUrl,
    preferencesUrl: recipient.preferencesUrl,
  };
  const { html, text } = issue.variant;
  return {
    subject,
    html: html.shell.fill({ ...values, items: itemsHtml }),
    // An empty slot (no "more releases" line) leaves a run of blank lines behind.
    text: text.shell.fill({ ...values, items: itemsText }).replace(/\n{3,}/g, '\n\n'),
  };
}

function preheader(kind: MailKind, countLabel: string, releases: readonly Release[]): string {
  const titles = releases.map((release) => release.title).join(' · ');
  const text = kind === 'immediate' ? (releases[0]?.summary ?? titles) : `${countLabel}: ${titles}`;
  return truncate(text, MAX_PREHEADER);
}

function topics(
  strings: DigestStrings,
  kind: MailKind,
  recipient: DigestRecipient,
  categoryNames: ReadonlyMap<string, string>,
): string {
  const categories =
    recipient.categories.length === 0
      ? (strings.allTopics ?? '')
      : recipient.categories.map((slug) => categoryNames.get(slug) ?? slug).join(', ');
  return `${categories}, ${strings[`why.frequency.${kind}`] ?? kind}`;
}

/** The kicker as the release shows it: a small italic line above the title (or nothing). */
function kickerHtml(kicker: string): string {
  return kicker === ''
    ? ''
    : `<p class="kicker" style="margin:2px 0 0 0;font-size:15px;line-height:20px;font-style:italic;">${escapeHtml(kicker)}</p>`;
}

/** Cuts plain text to `max` characters at a word boundary, marking the cut with an ellipsis. */
function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:–-]+$/, '')}…`;
}
