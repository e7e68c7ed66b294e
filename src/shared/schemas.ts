import * as v from 'valibot';

/** Schemas and their error text shared by the boundaries where bytes become types. */

/**
 * Where the first issue of a failed schema check is and what it says, for an error message:
 * `Records[0].s3.object.key: Invalid type: Expected string but received undefined`.
 */
export function describeIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const [issue] = issues;
  if (issue === undefined) return 'does not match its schema';
  const path = (issue.path ?? [])
    .map(({ key }) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** An ISO 8601 instant (any `Date.parse`-able text passes), kept as text. */
export const instantText = v.pipe(
  v.string(),
  v.check((text) => !Number.isNaN(Date.parse(text)), 'Invalid instant: expected ISO 8601'),
);
