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

/**
 * The first issue of a settings file (`site.json`) whose messages name their own sub-field:
 * the field is quoted and list positions follow it (`"categories"[0]: "key" must be …`); a
 * message that completes the field's sentence (`must …`, `is …`) follows it without a colon
 * (`"primaryColor" must be a colour …`).
 */
export function describeSettingIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const [issue] = issues;
  if (issue === undefined) return 'is not valid';
  const [first, ...rest] = issue.path ?? [];
  if (first === undefined) return issue.message;
  // Positions right after the field (`"categories"[0]`); deeper keys are the message's to name.
  const stop = rest.findIndex((item) => typeof item.key !== 'number');
  const positions = (stop === -1 ? rest : rest.slice(0, stop)).map((item) => `[${item.key}]`);
  const where = `"${String(first.key)}"${positions.join('')}`;
  return /^(?:must|is) /.test(issue.message)
    ? `${where} ${issue.message}`
    : `${where}: ${issue.message}`;
}
