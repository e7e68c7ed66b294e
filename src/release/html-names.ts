/**
 * Names of the elements of HTML (with SVG's and MathML's roots, and the obsolete ones browsers
 * still parse). A `<name>` whose name is not here is not markup a browser would act on: staff who
 * write `<kvp>` or `<ilmaiseksi>` mean those characters, and they stay as text.
 */
const HTML_ELEMENTS = new Set(
  (
    'a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big ' +
    'blink blockquote body br button canvas caption center cite code col colgroup data datalist dd ' +
    'del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form ' +
    'frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins ' +
    'isindex kbd keygen label legend li link listing main map mark marquee math menu menuitem meta ' +
    'meter multicol nav nextid nobr noembed noframes noscript object ol optgroup option output p ' +
    'param picture plaintext portal pre progress q rb rp rt rtc ruby s samp script search section ' +
    'select slot small source spacer span strike strong style sub summary sup svg table tbody td ' +
    'template textarea tfoot th thead time title tr track tt u ul var video wbr xmp'
  ).split(' '),
);

/** Elements whose text is code or styling, never words: dropped with everything inside them. */
export const NON_TEXT_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style']);

/** Whether `name` (any letter case) is an HTML element name. */
export function isHtmlElementName(name: string): boolean {
  return HTML_ELEMENTS.has(name.toLowerCase());
}

const TAG_START = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/;

/**
 * What a raw-HTML fragment as markdown-it finds it (`<b>`, `</script>`, `<!-- … -->`) is: a tag of
 * a real element (with its name, and whether it closes), other markup (comments, declarations,
 * processing instructions), or text that merely looks like a tag (`<kvp>`).
 */
export function classifyRawHtml(
  fragment: string,
): { kind: 'tag'; name: string; closing: boolean } | { kind: 'markup' } | { kind: 'text' } {
  const tag = TAG_START.exec(fragment);
  if (tag === null) return fragment.startsWith('<') ? { kind: 'markup' } : { kind: 'text' };
  const name = (tag[2] ?? '').toLowerCase();
  if (!isHtmlElementName(name)) return { kind: 'text' };
  return { kind: 'tag', name, closing: tag[1] === '/' };
}
