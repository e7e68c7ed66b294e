import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectoryReleaseSource } from '../digest/directory-releases.js';
import { previewSubscriberMail } from '../digest/preview.js';
import { loadTemplateSource, VariantCache } from '../digest/templates.js';
import type { DigestFrequency, Lang } from '../digest/types.js';
import type { Mailbox } from '../mail/compose.js';
import { parseMailbox } from '../mail/mailbox.js';
import { formatProblem } from '../release/types.js';
import { isLang } from '../subscribers/types.js';
import {
  parseCommandArgs,
  parseInstantFlag,
  parseSiteUrl,
  requireFlag,
  UsageError,
} from './args.js';
import { checkReleasesFolder, prepareOutputFolder } from './files.js';
import { siteConfigFromEnv } from './site-options.js';

/**
 * `newsroom digest`: the digest a subscriber in `--lang` of every category would get (the releases
 * in that language, as the roster selects them) for the releases under
 * `--releases` published in `(since, until]`, written as `digest.html`, `digest.txt` and
 * `digest.eml` (the complete MIME message) into `--out`, through the same templates and code as
 * the scheduled run. With nothing in the window it says so and writes nothing.
 *
 * @returns whether files were written.
 */
export async function runDigestPreview(
  argv: string[],
  io: { stdout: (line: string) => void; stderr: (line: string) => void },
  clock: () => Date = () => new Date(),
): Promise<boolean> {
  const { values } = parseCommandArgs(argv, {
    releases: { type: 'string' },
    out: { type: 'string' },
    'site-url': { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    lang: { type: 'string' },
    frequency: { type: 'string' },
  });
  const releasesDir = requireFlag(values.releases, 'releases');
  const outDir = requireFlag(values.out, 'out');
  const siteUrl = parseSiteUrl(requireFlag(values['site-url'], 'site-url'));
  const since = parseInstantFlag(requireFlag(values.since, 'since'), 'since');
  const until = values.until === undefined ? clock() : parseInstantFlag(values.until, 'until');
  if (until.getTime() <= since.getTime())
    throw new UsageError('--until must be later than --since');
  const site = siteConfigFromEnv(siteUrl);
  const lang = parseLang(values.lang ?? (isLang(site.defaultLang) ? site.defaultLang : 'fi'));
  const frequency = parseFrequency(values.frequency ?? 'daily');

  await checkReleasesFolder(releasesDir);
  const source = new DirectoryReleaseSource(releasesDir, site, (path, problem) =>
    io.stderr(formatProblem({ ...problem, path })),
  );
  const releases = await source.publishedBetween(since, until);
  const window = `(${since.toISOString()}, ${until.toISOString()}]`;
  if (releases.length === 0) {
    io.stdout(`No release was published in ${window}: no digest, nothing written.`);
    return false;
  }
  const preview = await previewSubscriberMail({
    variants: new VariantCache(await loadTemplateSource(), site),
    site,
    from: previewSender(process.env.MAIL_FROM, site.title, siteUrl),
    kind: frequency,
    lang,
    releases,
    slot: until,
    date: clock(),
    runId: `preview-${frequency}`,
  });
  if (preview === undefined) {
    io.stdout(
      `None of the ${releases.length} release(s) published in ${window} is in ${lang}: a subscriber in ${lang} gets no digest, nothing written.`,
    );
    return false;
  }
  await prepareOutputFolder(outDir);
  await Promise.all([
    writeFile(join(outDir, 'digest.html'), preview.mail.html),
    writeFile(join(outDir, 'digest.txt'), preview.mail.text),
    writeFile(join(outDir, 'digest.eml'), preview.raw),
  ]);
  io.stdout(
    `Wrote the ${frequency} digest a subscriber in ${lang} gets: ${preview.releases.length} of the ${releases.length} release(s) published in ${window}, ` +
      `to ${outDir}/digest.html, digest.txt and digest.eml`,
  );
  return true;
}

/** The sender previews show: `MAIL_FROM`, else the site title at the site's host. */
export function previewSender(
  configured: string | undefined,
  title: string,
  siteUrl: string,
): Mailbox {
  const text = configured?.trim() || `${title} <noreply@${new URL(siteUrl).hostname}>`;
  try {
    const mailbox = parseMailbox(text);
    return mailbox.name ? mailbox : { ...mailbox, name: title };
  } catch (error) {
    throw new UsageError(`MAIL_FROM: ${(error as Error).message}`, { cause: error });
  }
}

function parseLang(value: string): Lang {
  if (!isLang(value)) throw new UsageError(`--lang must be fi, sv or en, got "${value}"`);
  return value;
}

/** Parses `--frequency`. */
export function parseFrequency(value: string): DigestFrequency {
  if (value !== 'daily' && value !== 'weekly') {
    throw new UsageError(`--frequency must be daily or weekly, got "${value}"`);
  }
  return value;
}
