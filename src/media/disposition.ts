/**
 * `Content-Disposition: attachment` for a document (RFC 6266): browsers download it instead of
 * rendering it on the site's origin, under its original name. `filename` carries an ASCII fallback
 * for old clients, `filename*` the exact UTF-8 name (RFC 8187), e.g. for `Liite ä.pdf`:
 * `attachment; filename="Liite a.pdf"; filename*=UTF-8''Liite%20%C3%A4.pdf`.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = asciiFallback(fileName);
  const encoded = encodeRfc8187(fileName);
  return fallback === fileName
    ? `attachment; filename="${fallback}"`
    : `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function asciiFallback(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return ascii.trim() === '' ? 'file' : ascii;
}

/** RFC 8187 `value-chars`: attr-chars as they are, every other UTF-8 byte percent-encoded. */
function encodeRfc8187(text: string): string {
  return encodeURIComponent(text).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
