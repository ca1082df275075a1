/**
 * String functions: feelin's where they answer as Camunda documents, the regular expression
 * functions on RE2 (regex.ts), and Camunda's `trim`, `is blank`, `to base64`, `from base64` and
 * `string join` with prefix and suffix.
 */
import { delegates, isString, type BuiltinDef } from '../builtin.js';
import { REGEX } from './regex.js';

/** Characters Java's `String.trim()` removes (Camunda's `trim`): every code point up to U+0020. */
// eslint-disable-next-line no-control-regex -- Java's trim() strips every code point up to U+0020
const JAVA_TRIM = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

function toBase64(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(value: string): string | null {
  try {
    const binary = atob(value);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function join(list: unknown, delimiter: unknown, prefix: unknown, suffix: unknown): string | null {
  if (!Array.isArray(list)) return null;
  if ([delimiter, prefix, suffix].some((s) => s !== undefined && s !== null && !isString(s))) return null;
  if (list.some((item) => item !== null && !isString(item))) return null;
  const body = list.filter(isString).join((delimiter as string | undefined) ?? '');
  return `${(prefix as string | undefined) ?? ''}${body}${(suffix as string | undefined) ?? ''}`;
}

export const STRING: Record<string, BuiltinDef> = {
  ...delegates({
    substring: ['string', 'start position', 'length'],
    'string length': ['string'],
    'upper case': ['string'],
    'lower case': ['string'],
    'substring before': ['string', 'match'],
    'substring after': ['string', 'match'],
    contains: ['string', 'match'],
    'starts with': ['string', 'match'],
    'ends with': ['string', 'match'],
  }),
  ...REGEX,
  trim: { params: ['string'], fn: (_c, [s]) => (isString(s) ? s.replace(JAVA_TRIM, '') : null) },
  'is blank': { params: ['string'], fn: (_c, [s]) => (isString(s) ? /^\s*$/.test(s) : null) },
  'to base64': { params: ['value'], fn: (_c, [s]) => (isString(s) ? toBase64(s) : null) },
  'from base64': { params: ['value'], fn: (_c, [s]) => (isString(s) ? fromBase64(s) : null) },
  'string join': {
    params: ['list', 'delimiter', 'prefix', 'suffix'],
    cost: 'deep',
    arities: [1, 2, 4],
    fn: (_c, [list, delimiter, prefix, suffix]) => join(list, delimiter, prefix, suffix),
  },
};
