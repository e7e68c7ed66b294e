import type { ObjectStore } from '../shared/ports.js';
import { escapeHtml } from '../shared/text.js';
import { previewObjectKey } from './keys.js';
import { verifyPreviewToken } from './token.js';

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
}

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

const MESSAGES: Record<PageLang, Record<'expired' | 'missing' | 'invalid', string>> = {
  fi: {
    expired: 'Esikatselulinkki on vanhentunut. Lataa luonnos uudelleen, niin saat uuden linkin.',
    missing: 'Luonnosta ei enää ole: se on poistettu tai siirretty julkaistavaksi.',
    invalid: 'Esikatselulinkki ei kelpaa. Tarkista, että kopioit sen kokonaan.',
  },
  sv: {
    expired: 'Länken till förhandsvisningen har gått ut. Ladda upp utkastet igen för en ny länk.',
    missing: 'Utkastet finns inte längre: det har tagits bort eller flyttats för publicering.',
    invalid: 'Länken till förhandsvisningen är ogiltig. Kontrollera att du kopierade hela länken.',
  },
  en: {
    expired: 'This preview link has expired. Upload the draft again to get a new link.',
    missing: 'The draft is gone: it was deleted or moved to be published.',
    invalid: 'This preview link is not valid. Check that you copied all of it.',
  },
};

/**
 * Answers `GET /api/preview?token=…`: the private preview page of a draft while its signed link
 * is valid (with a `<base>` so its links and styles resolve as on the published page), 410 once
 * the link has expired or the draft is gone, 404 for a token that is not ours. Never cached,
 * never indexed.
 */
export async function servePreview(
  serving: PreviewServing,
  token: string,
  lang: PageLang,
): Promise<PreviewResponse> {
  const check = verifyPreviewToken(serving.key, token, serving.clock());
  if (!check.ok) {
    return check.problem === 'expired'
      ? messageResponse(410, MESSAGES[lang].expired, lang)
      : messageResponse(404, MESSAGES[lang].invalid, lang);
  }
  const object = await serving.store.get(previewObjectKey(check.claims.hash));
  if (object === undefined) return messageResponse(410, MESSAGES[lang].missing, lang);
  const page = new TextDecoder().decode(object.body);
  const base = `<base href="${escapeHtml(`${serving.siteUrl}/releases/`)}">`;
  return { status: 200, headers: HEADERS, body: page.replace(/<head>/i, `<head>\n${base}`) };
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
