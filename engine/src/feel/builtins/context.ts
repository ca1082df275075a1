/**
 * Context functions: `get entries`, `context`, and Camunda's `get value` and `context put` with a
 * path of keys, `context merge`, plus the deprecated names `put` and `put all` they replaced.
 */
import { setOwn } from '../../core/plain-data.js';
import { delegate, isString, type BuiltinDef } from '../builtin.js';
import { isContext } from '../values.js';

/** A copy of `context` with `value` at the path `keys`, creating nested contexts; null for no keys. */
function putPath(context: unknown, keys: unknown[], value: unknown): Record<string, unknown> | null {
  if (!isContext(context) || keys.length === 0 || !keys.every(isString)) return null;
  const [key, ...rest] = keys as string[];
  const out: Record<string, unknown> = { ...context };
  const inner = rest.length === 0 ? value : putPath(isContext(context[key!]) ? context[key!] : {}, rest, value);
  setOwn(out, key!, inner);
  return out;
}

function getPath(context: unknown, keys: unknown[]): unknown {
  if (keys.length === 0 || !keys.every(isString)) return null;
  let v: unknown = context;
  for (const key of keys as string[]) {
    if (!isContext(v) || !Object.prototype.hasOwnProperty.call(v, key)) return null;
    v = v[key];
  }
  return v ?? null;
}

function merge(contexts: unknown[]): Record<string, unknown> | null {
  const list = contexts.length === 1 && Array.isArray(contexts[0]) ? (contexts[0] as unknown[]) : contexts;
  if (!list.every(isContext)) return null;
  const out: Record<string, unknown> = {};
  for (const c of list) for (const [k, v] of Object.entries(c)) setOwn(out, k, v);
  return out;
}

const put: BuiltinDef = {
  params: ['context', 'key', 'value', 'keys'],
  arities: [3],
  fn: (_c, [context, key, value, keys]) => {
    const path = keys !== undefined ? keys : key;
    return putPath(context, Array.isArray(path) ? path : [path], value);
  },
};
const putAll: BuiltinDef = { params: ['...contexts'], fn: (_c, contexts) => merge(contexts) };

export const CONTEXT: Record<string, BuiltinDef> = {
  'get entries': delegate('get entries', ['context']),
  context: delegate('context', ['...entries']),
  'get value': {
    params: ['context', 'key', 'keys'],
    arities: [2],
    cost: 'const',
    fn: (_c, [context, key, keys]) => {
      const path = keys !== undefined ? keys : key;
      return getPath(context, Array.isArray(path) ? path : [path]);
    },
  },
  'context put': put,
  put,
  'context merge': putAll,
  'put all': putAll,
};
