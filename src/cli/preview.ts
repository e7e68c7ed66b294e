import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { previewSubscriberMail, type SubscriberMailPreview } from '../digest/preview.js';
import { immediateRunId } from '../digest/run.js';
import { loadTemplateSource, VariantCache } from '../digest/templates.js';
import { type AttachedMedia, attachMedia } from '../release/attach-media.js';
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
import { checkReleasesFolder, prepareOutputFolder, SiteWriter } from './files.js';
import { diskMediaLookup } from './media-files.js';
import { pageWithLocalMedia, writeLocalMedia } from './preview-media.js';
import { siteConfigFromEnv } from './site-options.js';

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

/**
 * `newsroom preview FILE`: what residents would see of one release before it is uploaded:
 * `page.html` (its page as published), the pictures and attachments it references under
 * `media/` beside it (the page points at those copies, so it works offline), and `mail.eml` (the
 * immediate mail a subscriber in the release's language would get, with the public URLs a mail
 * needs), written into `--out`. Media are found as the publisher finds them, relative to the
 * releases folder (`--releases`, by default the file's own folder). An invalid file prints the
 * same lines as `validate` and writes nothing; a missing or refused media file prints the same
 * line as `build` and fails the preview, which still shows the page as it would be published.
 *
 * @returns whether the release and every media file it references would be published.
 */
export async function runPreview(
  argv: string[],
  io: Io,
  clock = () => new Date(),
): Promise<boolean> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      out: { type: 'string' },
      'site-url': { type: 'string' },
      now: { type: 'string' },
      releases: { type: 'string' },
    },
    true,
  );
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE to preview');
  const file = positionals[0] as string;
  const outDir = requireFlag(values.out, 'out');
  const siteUrl = parseSiteUrl(requireFlag(values['site-url'], 'site-url'));
  const now = values.now === undefined ? clock() : parseInstantFlag(values.now, 'now');
  const site = siteConfigFromEnv(siteUrl);
  const root = values.releases ?? dirname(file);
  if (values.releases !== undefined) await checkReleasesFolder(root);

  const result = parseRelease(pathInReleases(root, file), await readBytes(file), site);
  if (!result.ok) {
    io.stdout(formatProblem({ ...result.problem, path: file }));
    return false;
  }
  const attached = await attachMedia(result.release, diskMediaLookup(root));
  for (const warning of [...result.warnings, ...attached.warnings]) {
    io.stdout(formatWarning({ ...warning, path: file }));
  }
  const { release } = attached;
  const mail = await immediateMail(release, site, now);
  await prepareOutputFolder(outDir);
  writePage(outDir, attached, site);
  if (mail !== undefined) await writeFile(join(outDir, 'mail.eml'), mail.raw);
  io.stdout(`${file}: wrote ${join(outDir, 'page.html')} (published at ${release.url})`);
  if (attached.files.length > 0) {
    io.stdout(`Wrote ${attached.files.length} media file(s) under ${join(outDir, 'media')}.`);
  }
  io.stdout(describeMail(release, site, now, mail, join(outDir, 'mail.eml')));
  if (attached.warnings.length === 0) return true;
  io.stdout(
    `${file}: ${attached.warnings.length} media problem(s) above: the page would be published without those files. Fix them and preview again.`,
  );
  return false;
}

/** The page and the media it shows, written into `outDir` with the page pointing at the copies. */
function writePage(outDir: string, attached: AttachedMedia, site: SiteConfig): void {
  const writer = new SiteWriter(outDir);
  writeLocalMedia(writer, attached.files);
  const page = releasePageFile(attached.release, site);
  writer.write({
    path: 'page.html',
    body: pageWithLocalMedia(page.body, attached.release.media ?? []),
  });
}

/**
 * The file's `/`-separated path relative to the releases folder: the release's identity, as the
 * build and the publisher see it.
 *
 * @throws {UsageError} when the file is not inside `root`.
 */
function pathInReleases(root: string, file: string): string {
  const path = relative(root, file);
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) {
    throw new UsageError(`"${file}" is not inside the releases folder "${root}" (--releases)`);
  }
  return path.split(sep).join('/');
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
