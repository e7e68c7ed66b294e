import type SanitizeHtml from 'sanitize-html';

/** sanitize-html, loaded on first use (see sanitize-html-loader.cjs for why). */
declare function sanitizeHtmlModule(): typeof SanitizeHtml;

declare const loader: { sanitizeHtmlModule: typeof sanitizeHtmlModule };
export = loader;
