import type { SiteConfig, SiteFile } from '../site/config.js';
import { brandingOf } from '../site/site-config.js';

/**
 * The default theme: one stylesheet per site (`theme.css`, linked from every page), in the spirit of GOV.UK and Suomi.fi — large
 * readable type, a coloured header with the organisation's name, obvious focus, a footer with the
 * contact line and links; phone first, light and dark, print-friendly, no external resources.
 */

/** Colours of one scheme, each pair checked to read at WCAG AA (4.5:1) or better. */
interface Palette {
  text: string;
  background: string;
  link: string;
  muted: string;
  border: string;
  panel: string;
  headerText: string;
  headerBackground: string;
}

const LIGHT_LINK = '#1a4f8b';
const DARK: Palette = {
  text: '#f0f0f0',
  background: '#121417',
  link: '#9cc7ff',
  muted: '#c4c8cc',
  border: '#5f656b',
  panel: '#1d2126',
  headerText: '#f0f0f0',
  headerBackground: '#1d2126',
};

/** WCAG relative luminance of `#rrggbb`. */
function luminance(color: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(color.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The light palette for a primary colour: the header takes the colour with white or near-black
 * text, whichever reads better; links take it too when it reads on white, else a safe blue.
 */
export function lightPalette(primary: string): Palette {
  const onPrimary =
    contrast(primary, '#ffffff') >= contrast(primary, '#0b0c0c') ? '#ffffff' : '#0b0c0c';
  return {
    text: '#0b0c0c',
    background: '#ffffff',
    link:
      contrast(primary, '#ffffff') >= 4.5 && contrast(primary, '#f3f2f1') >= 4.5
        ? primary
        : LIGHT_LINK,
    muted: '#505a5f',
    border: '#b1b4b6',
    panel: '#f3f2f1',
    headerText: onPrimary,
    headerBackground: primary,
  };
}

function variables(palette: Palette): string {
  return `--text:${palette.text};--bg:${palette.background};--link:${palette.link};--muted:${palette.muted};--border:${palette.border};--panel:${palette.panel};--head-text:${palette.headerText};--head-bg:${palette.headerBackground}`;
}

const RULES = `
:root{color-scheme:light dark}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:100%;line-height:1.5;-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:var(--text);background-color:var(--bg);overflow-wrap:break-word;font-size:1.125rem}
.wrap{max-width:60rem;margin:0 auto;padding:0 1rem}
main.wrap{padding-top:1.5rem;padding-bottom:3rem}
main>*,main article>*{max-width:42rem}
a{color:var(--link);text-decoration-thickness:max(1px,.0625em);text-underline-offset:.15em}
a:hover{text-decoration-thickness:max(3px,.1875em)}
:focus-visible{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
a:focus-visible{background-color:#fd0;color:#0b0c0c;text-decoration:none;box-shadow:0 -2px #fd0,0 4px #0b0c0c;outline:none}
img{max-width:100%;height:auto}
h1{font-size:2rem;line-height:1.15;margin:.5rem 0 1.25rem}
h2{font-size:1.5rem;line-height:1.2;margin:2.5rem 0 1rem}
h3{font-size:1.2rem;margin:1.5rem 0 .5rem}
.skip{position:absolute;left:-10000px;top:0}
.skip:focus{left:1rem;top:1rem;padding:.5rem 1rem;z-index:1}
.site-header{color:var(--head-text);background-color:var(--head-bg);border-bottom:.5rem solid var(--head-bg)}
.site-header .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem;padding-top:.75rem;padding-bottom:.75rem}
.site-name{margin:0;font-size:1.5rem;font-weight:700;line-height:1.2}
.site-name a{color:var(--head-text);text-decoration:none;display:inline-flex;align-items:center;gap:.75rem}
.site-name a:hover{text-decoration:underline}
.logo{height:2.5rem;width:auto}
.lang-switch ul{list-style:none;margin:0;padding:0;display:flex;gap:1rem}
.lang-switch a{color:var(--head-text);font-weight:600}
.site-footer{margin-top:2rem;padding:1.5rem 0 2.5rem;color:var(--text);background-color:var(--panel);border-top:.25rem solid var(--head-bg);font-size:1rem}
.site-footer ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
.site-footer p{margin:.5rem 0}
.kicker{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.05em;font-size:.9rem;font-weight:600}
.meta{color:var(--muted);font-size:1rem}
.meta dt{display:inline;font-weight:600}
.meta dd{display:inline;margin:0 1rem 0 .25rem}
.summary{font-size:1.3rem;line-height:1.45}
.translations{padding:.75rem 1rem;border-left:.3rem solid var(--border);background-color:var(--panel)}
.notice{padding:1rem 1.25rem;border-left:.4rem solid var(--head-bg);background-color:var(--panel)}
.releases{list-style:none;padding:0}
.releases li{margin:0;padding:1rem 0;border-bottom:1px solid var(--border)}
.releases :is(h2,h3){margin:0;font-size:1.2rem}
.releases p{margin:.25rem 0}
figure{margin:1.5rem 0}
blockquote{margin:1.5rem 0;padding:0 1rem;border-left:.3rem solid var(--border)}
table{border-collapse:collapse}
th,td{border-bottom:1px solid var(--border);padding:.4rem .75rem .4rem 0;text-align:start}
fieldset{border:1px solid var(--border);margin:1rem 0;padding:.5rem 1rem}
legend{font-weight:600}
label.choice{display:block;padding:.3rem 0}
input,select,button{font:inherit}
input[type=email],select{color:var(--text);background-color:var(--bg);border:2px solid var(--text);padding:.35rem .5rem}
input[type=email]{width:100%;max-width:24rem;box-sizing:border-box}
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;vertical-align:-.2rem;accent-color:var(--link)}
button{padding:.6rem 1.4rem;color:#fff;background-color:#00703c;border:0;border-bottom:2px solid #002d18;cursor:pointer;font-weight:600}
button:hover{background-color:#005a30}
.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
@media (min-width:40rem){h1{font-size:2.5rem}.site-name{font-size:1.75rem}}
@media print{
:root{color-scheme:light}
body{font-size:12pt;color:#000;background:#fff}
.skip,.lang-switch,.site-footer .feeds,form,#subscribe,section[aria-labelledby=subscribe],section[aria-labelledby=feeds]{display:none}
.site-header,.site-footer{color:#000;background:#fff;border-color:#000}
.site-name a,a{color:#000}
main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.9em;word-break:break-all}
.releases li,figure,img{break-inside:avoid}
h1,h2,h3{break-after:avoid}
}
`;

/**
 * The few rules a page must have even when `theme.css` does not load (a reader mode, a failed
 * request): the form's honeypot and the skip link stay hidden, so nobody fills in the trap.
 * Inline in every page; the same rules are in the stylesheet.
 */
export const CRITICAL_STYLE =
  '.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}.skip{position:absolute;left:-10000px;top:0}.skip:focus{left:1rem;top:1rem}';

const cache = new Map<string, string>();

/** The site's stylesheet for `primaryColor` (`#rrggbb`), minified, ready for a `<style>` element. */
export function themeStyle(primaryColor: string): string {
  let style = cache.get(primaryColor);
  if (style === undefined) {
    const light = lightPalette(primaryColor);
    // Dark mode keeps the organisation's colour as the header's bottom rule only: a saturated
    // brand colour behind light text rarely reads well on a dark page.
    const dark: Palette = { ...DARK };
    style = `:root{${variables(light)}}@media (prefers-color-scheme:dark){:root{${variables(dark)}}.site-header{border-bottom-color:${primaryColor}}}${RULES.trim().replaceAll('\n', '')}`;
    cache.set(primaryColor, style);
  }
  return style;
}

/** Where the stylesheet lives, relative to the site root. */
export const THEME_PATH = 'theme.css';

/** `theme.css`; depends only on the site settings (the brand colour). */
export function themeFile(site: SiteConfig): SiteFile {
  return {
    path: THEME_PATH,
    body: themeStyle(brandingOf(site).primaryColor),
    contentType: 'text/css; charset=utf-8',
    cacheControl: 'public, max-age=300',
  };
}
