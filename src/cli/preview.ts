import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { previewSubscriberMail, type SubscriberMailPreview } from '../digest/preview.js';
import { immediateRunId } from '../digest/run.js';
import { loadTemplateSource, VariantCache } from '../digest/templates.js';
import { DEFAULT_NOTIFY_MAX_AGE_MS, isArchiveImport } from '../release/newness.js';
import { parseRelease } from '../release/parse.js';
import { formatProblem, formatWarning, type Release } from '../release/types.js';
import { readBytes } from '../shared/release-files.js';
import type { SiteConfig } from '../site/config.js';
import { releasePageFile } from '../site/files.js';
import { isLang } from '../subscribers/types.js';
import {
  parseCommandArgs,
  parseInstantFlag,
  parseSiteUrl,
  requireFlag,
  UsageError,
} from './args.js';
import { previewSender } from './digest.js';
import { prepareOutputFolder } from './files.js';
import { siteConfigFromEnv } from './site-options.js';

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

/**
 * `newsroom preview FILE`: what residents would see of one release before it is uploaded:
 * `page.html` (its page exactly as published) and `mail.eml` (the immediate mail a subscriber in
 * the release's language would get), written into `--out`. An invalid file prints the same lines
 * as `validate` and writes nothing.
 *
 * @returns whether the file is a valid release.
 */
export async function runPreview(
  argv: string[],
  io: Io,
  clock = () => new Date(),
): Promise<boolean> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { out: { type: 'string' }, 'site-url': { type: 'string' }, now: { type: 'string' } },
    true,
  );
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE to preview');
  const file = positionals[0] as string;
  const outDir = requireFlag(values.out, 'out');
  const siteUrl = parseSiteUrl(requireFlag(values['site-url'], 'site-url'));
  const now = values.now === undefined ? clock() : parseInstantFlag(values.now, 'now');
  const site = siteConfigFromEnv(siteUrl);

  const result = parseRelease(basename(file), await readBytes(file), site);
  if (!result.ok) {
    io.stdout(formatProblem({ ...result.problem, path: file }));
    return false;
  }
  for (const warning of result.warnings) io.stdout(formatWarning({ ...warning, path: file }));
  const { release } = result;
  const page = releasePageFile(release, site);
  const mail = await immediateMail(release, site, now);
  await prepareOutputFolder(outDir);
  await writeFile(join(outDir, 'page.html'), page.body);
  if (mail !== undefined) await writeFile(join(outDir, 'mail.eml'), mail.raw);
  io.stdout(`${file}: wrote ${join(outDir, 'page.html')} (published at ${release.url})`);
  io.stdout(describeMail(release, site, now, mail, join(outDir, 'mail.eml')));
  return true;
}

/** The immediate mail a subscriber in the release's language gets, if anyone is mailed at all. */
async function immediateMail(
  release: Release,
  site: SiteConfig,
  now: Date,
): Promise<SubscriberMailPreview | undefined> {
  // Uploaded at `now`, it first becomes public at `now`, or at its date when that is later.
  const firstPublished = release.published > now ? release.published : now;
  if (isArchiveImport(release, firstPublished, maxAge(site))) return undefined;
  if (!isLang(release.lang)) return undefined;
  return previewSubscriberMail({
    variants: new VariantCache(await loadTemplateSource(), site),
    site,
    from: previewSender(process.env.MAIL_FROM, site.title, site.siteUrl),
    kind: 'immediate',
    lang: release.lang,
    releases: [release],
    slot: release.published,
    date: firstPublished,
    runId: immediateRunId(release),
  });
}

function describeMail(
  release: Release,
  site: SiteConfig,
  now: Date,
  mail: SubscriberMailPreview | undefined,
  path: string,
): string {
  if (mail !== undefined) {
    const when = release.published > now ? ` at ${release.published.toISOString()} (embargo)` : '';
    return `Wrote ${path}: the immediate mail a subscriber in ${release.lang} gets${when}.`;
  }
  if (!isLang(release.lang)) {
    return `No mail: subscribers choose fi, sv or en, and this release is in ${release.lang}.`;
  }
  const hours = Math.round(maxAge(site) / 3_600_000);
  return `No mail: uploaded at ${now.toISOString()} it is an archive import (dated more than ${hours} h earlier); it goes on the site and into the feeds but no subscriber is mailed.`;
}

function maxAge(site: SiteConfig): number {
  return site.notifyMaxAgeMs ?? DEFAULT_NOTIFY_MAX_AGE_MS;
}
