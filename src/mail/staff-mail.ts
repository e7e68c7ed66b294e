import type {
  DraftPreviewNotice,
  ReleaseRejectedNotice,
  StaffOutcomeNotice,
} from '../pipeline/notifier.js';
import { RELEASES_PREFIX } from '../pipeline/s3-event.js';
import type { ReleaseWarning } from '../release/types.js';
import { formatLocal, wallClockOf } from '../shared/local-time.js';
import { interpolate, type UiLang, type UiStrings, uiStrings } from '../shared/strings.js';
import { escapeHtml } from '../shared/text.js';

/** The staff notices' texts (the `staff` section of templates/strings/<lang>.json). */
type StaffStrings = UiStrings['staff'];

/** What staff mail needs to know besides the notice. */
export interface StaffMailContext {
  /** `STAFF_LANG`. */
  lang: UiLang;
  /** `TIME_ZONE`: every time in the mail is local time. */
  timeZone: string;
  /** The site's name, for the footer. */
  siteTitle: string;
  /** `NOTIFY_MAX_AGE` in milliseconds, named in the archive-import sentence. */
  notifyMaxAgeMs: number;
  /** Now; decides whether a date needs its year. */
  now: Date;
}

/** Subject and both parts of one staff mail. */
export interface StaffMail {
  subject: string;
  text: string;
  html: string;
}

/** One sentence template and its values, rendered once as text and once as HTML. */
interface Sentence {
  template: string;
  values?: Record<string, Value>;
}

/** A value of a sentence: what it says and how it is shown. */
type Value = { text: string } | { url: string } | { message: string } | { title: string };

/**
 * The mail about a rejected upload, in the staff's language: which file, the reason once (at its
 * line), whether an earlier version stays online, what to do next, and when it was uploaded in
 * local time. No bucket keys, JSON or Markdown: file names as staff uploaded them.
 *
 * @param publishedTitle the title of the version still published, if any: how staff know it.
 */
export function rejectionMail(
  notice: ReleaseRejectedNotice,
  context: StaffMailContext,
  publishedTitle?: string,
): StaffMail {
  const strings = uiStrings(context.lang).staff;
  const { report } = notice;
  const file = staffFileName(report.file);
  const reason: Value = { message: report.problem };
  const reasonSentence: Sentence =
    report.line === undefined
      ? { template: '{reason}', values: { reason } }
      : {
          template: strings.line,
          values: { line: { text: String(report.line) }, message: reason },
        };
  return assemble(strings, interpolate(strings['rejected.subject'], { file }), context, [
    [
      publishedTitle === undefined
        ? { template: strings['rejected.intro'], values: { file: { text: file } } }
        : {
            template: strings['rejected.introTitled'],
            values: { file: { text: file }, title: { title: publishedTitle } },
          },
    ],
    [reasonSentence],
    [
      {
        template: stillPublished(report.message)
          ? strings['rejected.stillOnline']
          : strings['rejected.nothingPublished'],
      },
      { template: strings['rejected.next'] },
    ],
    [
      {
        template: strings['rejected.when'],
        values: { when: { text: localTime(new Date(report.when), context) } },
      },
    ],
  ]);
}

/**
 * The confirmation of an accepted upload event: published (with its public address), updated,
 * fixed, scheduled (when, in local time) or withdrawn; an archive import says it was not mailed to
 * subscribers; warnings are listed at the end.
 */
export function outcomeMail(notice: StaffOutcomeNotice, context: StaffMailContext): StaffMail {
  const strings = uiStrings(context.lang).staff;
  const published = new Date(notice.published);
  const values: Record<string, Value> = {
    title: { title: notice.title },
    url: { url: notice.url },
    file: { text: staffFileName(notice.sourcePath) },
    when: { text: localTime(published, context) },
    date: { text: localTime(published, context) },
    hours: { text: String(Math.round(context.notifyMaxAgeMs / 3_600_000)) },
  };
  const outcome = notice.outcome;
  const first: Sentence[] = [{ template: strings[`${outcome}.body`], values }];
  const second: Sentence[] = [];
  if (outcome === 'published' || outcome === 'fixed') {
    second.push({
      template: notice.silent ? strings['published.silent'] : strings['published.mailed'],
      values,
    });
  } else {
    second.push({ template: strings[`${outcome}.note`], values });
  }
  const subject = interpolate(strings[`${outcome}.subject`], {
    title: notice.title,
    when: localTime(published, context),
  });
  const mail = assemble(strings, subject, context, [first, second], notice.warnings);
  return mail;
}

/**
 * The mail about a draft: its preview link (`url`, signed by the caller) and until when it works,
 * in local time; that the draft is not public and how to publish it; warnings at the end.
 */
export function draftMail(
  notice: DraftPreviewNotice,
  url: string,
  context: StaffMailContext,
): StaffMail {
  const strings = uiStrings(context.lang).staff;
  const values: Record<string, Value> = {
    title: { title: notice.title },
    file: { text: notice.sourcePath },
    url: { url },
    when: { text: localTime(new Date(notice.expiresAt), context) },
  };
  const subject = interpolate(strings['draft.subject'], { title: notice.title });
  return assemble(
    strings,
    subject,
    context,
    [[{ template: strings['draft.body'], values }], [{ template: strings['draft.note'], values }]],
    notice.warnings,
    strings['draft.warnings.heading'],
  );
}

/** The file as staff uploaded it: the object key without the `releases/` folder. */
export function staffFileName(key: string): string {
  return key.startsWith(RELEASES_PREFIX) ? key.slice(RELEASES_PREFIX.length) : key;
}

/** A local date and time in the staff's language: `14.5. klo 9.00`, with the year if not this one. */
export function localTime(
  date: Date,
  context: Pick<StaffMailContext, 'lang' | 'timeZone' | 'now'>,
): string {
  const strings = uiStrings(context.lang).staff;
  const { timeZone, lang } = context;
  const thisYear = wallClockOf(date, timeZone).year === wallClockOf(context.now, timeZone).year;
  return formatLocal(date, thisYear ? strings.dateTimeThisYear : strings.dateTime, lang, timeZone);
}

// The pipeline's report says in its message whether an earlier version stays online; it has no
// field of its own for it.
function stillPublished(message: string): boolean {
  return message.includes('The version published before stays online.');
}

function assemble(
  strings: StaffStrings,
  subject: string,
  context: StaffMailContext,
  paragraphs: Sentence[][],
  warnings: readonly ReleaseWarning[] = [],
  warningsHeading = strings['warnings.heading'],
): StaffMail {
  const footer: Sentence = {
    template: strings.footer,
    values: { site: { text: context.siteTitle } },
  };
  const text: string[] = paragraphs.map((paragraph) =>
    paragraph.map((s) => asText(s, strings)).join(' '),
  );
  const html: string[] = paragraphs.map(
    (paragraph) => `<p>${paragraph.map((s) => asHtml(s)).join(' ')}</p>`,
  );
  if (warnings.length > 0) {
    const lines = warnings.map((warning) => warningSentence(warning, strings));
    text.push([warningsHeading, ...lines.map((line) => `- ${asText(line, strings)}`)].join('\n'));
    html.push(
      `<p>${escapeHtml(warningsHeading)}</p><ul>${lines.map((line) => `<li>${asHtml(line)}</li>`).join('')}</ul>`,
    );
  }
  text.push(`--\n${asText(footer, strings)}`);
  html.push(`<p style="color:#555;font-size:90%">${asHtml(footer)}</p>`);
  return {
    subject,
    text: `${text.join('\n\n')}\n`,
    html: `<!doctype html><html lang="${context.lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif;line-height:1.5">${html.join('')}</body></html>`,
  };
}

function warningSentence(warning: ReleaseWarning, strings: StaffStrings): Sentence {
  const message: Value = { message: warning.message };
  return warning.line === undefined
    ? { template: '{message}', values: { message } }
    : { template: strings.line, values: { line: { text: String(warning.line) }, message } };
}

function asText(sentence: Sentence, strings: StaffStrings): string {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(sentence.values ?? {})) {
    if ('url' in value) values[name] = value.url;
    else if ('title' in value) values[name] = interpolate(strings.quoted, { text: value.title });
    else if ('message' in value) values[name] = plainMessage(value.message, strings);
    else values[name] = value.text;
  }
  return interpolate(sentence.template, values);
}

function asHtml(sentence: Sentence): string {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(sentence.values ?? {})) {
    if ('url' in value)
      values[name] = `<a href="${escapeHtml(value.url)}">${escapeHtml(value.url)}</a>`;
    else if ('title' in value) values[name] = `<strong>${escapeHtml(value.title)}</strong>`;
    else if ('message' in value) values[name] = htmlMessage(value.message);
    else values[name] = escapeHtml(value.text);
  }
  return interpolate(escapeHtml(sentence.template), values);
}

/** A parser message for plain text: `field` code spans become quoted words. */
function plainMessage(message: string, strings: StaffStrings): string {
  return message.replace(/`([^`]+)`/g, (_, code: string) =>
    interpolate(strings.quoted, { text: code }),
  );
}

/** A parser message for HTML: escaped, `field` code spans as `<code>`. */
function htmlMessage(message: string): string {
  return escapeHtml(message).replace(/`([^`]+)`/g, '<code>$1</code>');
}
