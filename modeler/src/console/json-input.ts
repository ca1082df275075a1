/** Parsing JSON typed by the user, with messages that say what is wrong. */

/** Parses a JSON object from `text` (blank = `{}`); throws an Error with a readable message otherwise. */
export function parseJsonObject(text: string, what = 'Variables'): Record<string, unknown> {
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} must be valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what} must be a JSON object like {"amount": 42}`);
  return value as Record<string, unknown>;
}

/** A compact one-line JSON rendering for tables (long values are cut). */
export function preview(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
