/**
 * The site values that templates compiled at build time (scripts/precompile-mail.ts) keep as
 * `[[name]]` slots, to be filled once per process from configuration. Kept apart from the
 * template modules, which import the compiled output, so the build step can run without it.
 */

/** The confirmation mail's site slots: `[[site.title]]` and `[[site.url]]`. */
export const CONFIRM_SITE_SLOTS = { title: 'site.title', url: 'site.url' } as const;

/** The digest mails' slots: the site's name and URL, and the heading of the mail's kind. */
export const DIGEST_SITE_SLOTS = ['city', 'siteUrl', 'heading'] as const;
