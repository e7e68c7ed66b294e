import { relinkMedia } from '../media/relink.js';
import type { ObjectStore } from '../shared/ports.js';
import { escapeHtml } from '../shared/text.js';
import { previewMediaPrefix, previewObjectKey } from './keys.js';
import { previewDisposition } from './media.js';
import { type PreviewMedia, readPreviewRecord } from './record.js';
import { type PreviewClaims, verifyPreviewToken } from './token.js';

/** What serving previews needs: the private bucket and the key that signs the links. */
export interface PreviewServing {
  store: ObjectStore;
  key: Uint8Array;
  clock: () => Date;
  siteUrl: string;
}

/** A response in the subscriptions API's shape. */
export interface PreviewResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** `body` is base64 of a media file's bytes. */
  isBase64Encoded?: boolean;
}

/**
 * The largest media file a preview serves: its base64 must fit in a Lambda response (6 MB).
 * Larger files are still published with the release; the preview says so instead.
 */
export const MAX_PREVIEW_MEDIA_BYTES = 4 * 1024 * 1024;

type PageLang = 'fi' | 'sv' | 'en';

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'private, no-store',
  // The token is in the URL: never send it on as a referrer, never index the page.
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

type Message = 'expired' | 'missing' | 'invalid' | 'noFile' | 'badPath' | 'tooLarge';

const MESSAGES: Record<PageLang, Record<Message, string>> = {
  fi: {
    expired: 'Esikatselulinkki on vanhentunut. Lataa luonnos uudelleen, niin saat uuden linkin.',
    missing: 'Luonnosta ei enää ole: se on poistettu tai siirretty julkaistavaksi.',
    invalid: 'Esikatselulinkki ei kelpaa. Tarkista, että kopioit sen kokonaan.',
    noFile: 'Luonnoksen esikatselussa ei ole tätä tiedostoa.',
    badPath: 'Tiedoston nimi linkissä ei kelpaa.',
    tooLarge:
      'Tiedosto on liian suuri esikatseltavaksi (yli 4 Mt). Se julkaistaan tiedotteen mukana.',
  },
  sv: {
    expired: 'Länken till förhandsvisningen har gått ut. Ladda upp utkastet igen för en ny länk.',
    missing: 'Utkastet finns inte längre: det har tagits bort eller flyttats för publicering.',
    invalid: 'Länken till förhandsvisningen är ogiltig. Kontrollera att du kopierade hela länken.',
    noFile: 'Förhandsvisningen av utkastet har ingen sådan fil.',
    badPath: 'Filnamnet i länken är ogiltigt.',
    tooLarge:
      'Filen är för stor för att förhandsvisas (över 4 MB). Den publiceras med pressmeddelandet.',
  },
  en: {
    expired: 'This preview link has expired. Upload the draft again to get a new link.',
    missing: 'The draft is gone: it was deleted or moved to be published.',
    invalid: 'This preview link is not valid. Check that you copied all of it.',
    noFile: 'The preview of this draft has no such file.',
    badPath: 'The file name in this link is not valid.',
    tooLarge: 'The file is too large to preview (over 4 MB). It is published with the release.',
  },
};

/**
 * Answers `GET /api/preview?token=…`: the private preview page of a draft while its signed link
 * is valid (with a `<base>` so its links and styles resolve as on the published page, and its
 * pictures and attachments pointing at {@link servePreviewMedia} with the same token), 410 once
 * the link has expired or the draft is gone, 404 for a token that is not ours. Never cached,
 * never indexed.
 */
export async function servePreview(
  serving: PreviewServing,
  token: string,
  lang: PageLang,
): Promise<PreviewResponse> {
  const check = checkToken(serving, token, lang);
  if ('status' in check) return check;
  const object = await serving.store.get(previewObjectKey(check.hash));
  if (object === undefined) return messageResponse(410, MESSAGES[lang].missing, lang);
  const record = await readPreviewRecord(serving.store, check.hash);
  const links = new Map<string, string>();
  for (const media of record?.media ?? []) {
    links.set(media.url, previewMediaUrl(serving.siteUrl, token, media.path));
  }
  const page = relinkMedia(new TextDecoder().decode(object.body), links);
  const base = `<base href="${escapeHtml(`${serving.siteUrl}/releases/`)}">`;
  return { status: 200, headers: HEADERS, body: page.replace(/<head>/i, `<head>\n${base}`) };
}

/**
 * Answers `GET /api/preview/media?token=…&path=…`: one picture or attachment of the draft the
 * token names, only one its preview shows (the private copy the publisher checked, with the type
 * found in its bytes and `attachment` for documents, as the public file will be served). 400 for
 * a path that is no plain file path (`..`, backslashes, empty segments), 404 for a file the
 * preview does not show, 410 once the link has expired or the draft is gone.
 */
export async function servePreviewMedia(
  serving: PreviewServing,
  token: string,
  path: string,
  lang: PageLang,
): Promise<PreviewResponse> {
  const check = checkToken(serving, token, lang);
  if ('status' in check) return check;
  if (!isPlainPath(path)) return messageResponse(400, MESSAGES[lang].badPath, lang);
  const record = await readPreviewRecord(serving.store, check.hash);
  if (record === undefined || record.rejected) {
    return messageResponse(410, MESSAGES[lang].missing, lang);
  }
  const media = record.media.find((entry) => entry.path === path);
  if (media === undefined) return messageResponse(404, MESSAGES[lang].noFile, lang);
  const object = await serving.store.get(previewMediaPrefix(check.hash) + media.path);
  if (object === undefined) return messageResponse(404, MESSAGES[lang].noFile, lang);
  if (object.body.length > MAX_PREVIEW_MEDIA_BYTES) {
    return messageResponse(413, MESSAGES[lang].tooLarge, lang);
  }
  return mediaResponse(media, object.body);
}

/** The address of one of a preview's media files, signed by the page's own token. */
function previewMediaUrl(siteUrl: string, token: string, path: string): string {
  return `${siteUrl}/api/preview/media?token=${token}&path=${encodeURIComponent(path)}`;
}

function checkToken(
  serving: PreviewServing,
  token: string,
  lang: PageLang,
): PreviewClaims | PreviewResponse {
  const check = verifyPreviewToken(serving.key, token, serving.clock());
  if (check.ok) return check.claims;
  return check.problem === 'expired'
    ? messageResponse(410, MESSAGES[lang].expired, lang)
    : messageResponse(404, MESSAGES[lang].invalid, lang);
}

/** A `/`-separated relative path of real names: no `.`/`..`, empty segments, backslashes or controls. */
function isPlainPath(path: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (path === '' || path.length > 1024 || /[\\\u0000-\u001f\u007f]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function mediaResponse(media: PreviewMedia, body: Uint8Array): PreviewResponse {
  const disposition = previewDisposition(media);
  const { 'content-type': _page, 'x-frame-options': _frames, ...common } = HEADERS;
  return {
    status: 200,
    headers: {
      ...common,
      'content-type': media.contentType,
      ...(disposition === undefined ? {} : { 'content-disposition': disposition }),
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  };
}

function messageResponse(status: number, message: string, lang: PageLang): PreviewResponse {
  const body = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(message)}</title></head>
<body><main><p>${escapeHtml(message)}</p></main></body>
</html>
`;
  return { status, headers: { ...HEADERS, 'content-language': lang }, body };
}
