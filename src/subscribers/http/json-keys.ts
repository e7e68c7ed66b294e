/**
 * The first key that appears twice in one object of a JSON text, or `undefined` when there is
 * none. `JSON.parse` silently keeps the last of two values, so `{"email":"a@…","email":"b@…"}`
 * would act on a guess. Call only on text that `JSON.parse` accepted: this scanner trusts the
 * syntax and only tracks strings and nesting.
 */
export function duplicateJsonKey(text: string): string | undefined {
  // One set of keys per open object; `null` for an open array.
  const open: (Set<string> | null)[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      const top = open[open.length - 1];
      if (top && expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.has(key)) return key;
        top.add(key);
        expectingKey = false;
      }
      i = end;
    } else if (char === '{') {
      open.push(new Set());
      expectingKey = true;
    } else if (char === '[') {
      open.push(null);
    } else if (char === '}' || char === ']') {
      open.pop();
    } else if (char === ',') {
      expectingKey = open[open.length - 1] instanceof Set;
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
