/**
 * List functions: feelin's, Baton's `union` and `distinct values` (linear instead of feelin's
 * pairwise comparison), plus Camunda's `is empty`, `partition` and `duplicate values`.
 */
import { delegate, delegates, isNumber, type BuiltinDef } from '../builtin.js';
import { isContext, isTemporal, temporalToString, toPlainJson } from '../values.js';

/** A canonical form of a value: contexts with sorted keys, temporal values by type and ISO text. */
function canonical(value: unknown): unknown {
  if (isTemporal(value)) return { t: value.constructor.name, v: temporalToString(value) };
  if (Array.isArray(value)) return { l: value.map(canonical) };
  if (isContext(value))
    return {
      c: Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    };
  return toPlainJson(value);
}

/**
 * A key under which equal FEEL values meet (numbers, strings, booleans, dates, and lists and
 * contexts of them, whatever the order of a context's keys), so that duplicates are found in
 * linear time instead of comparing every pair.
 */
function equalityKey(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/** The values of `lists`, each once, in the order of their first occurrence. */
function distinct(lists: unknown[][]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const list of lists)
    for (const item of list) {
      const key = equalityKey(item);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(item);
      }
    }
  return out;
}

/** The values that occur more than once, each once, in the order of their first occurrence. */
function duplicates(list: unknown[]): unknown[] {
  const seen = new Map<string, { first: unknown; count: number }>();
  for (const item of list) {
    const key = equalityKey(item);
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { first: item, count: 1 });
  }
  return [...seen.values()].filter((e) => e.count > 1).map((e) => e.first);
}

function partition(list: unknown, size: unknown): unknown[][] | null {
  if (!Array.isArray(list) || !isNumber(size) || size <= 0 || !Number.isInteger(size)) return null;
  const out: unknown[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export const LIST: Record<string, BuiltinDef> = {
  ...delegates({
    min: ['...list'],
    max: ['...list'],
    sum: ['...list'],
    product: ['...list'],
    mean: ['...list'],
    median: ['...list'],
    stddev: ['...list'],
    mode: ['...list'],
    all: ['...list'],
    any: ['...list'],
    sublist: ['list', 'start position', 'length'],
    append: ['list', '...items'],
    concatenate: ['...lists'],
    'insert before': ['list', 'position', 'newItem'],
    remove: ['list', 'position'],
    reverse: ['list'],
    'list replace': ['list', 'position', 'newItem', 'match'],
    sort: ['list', 'precedes'],
    flatten: ['list'],
  }),
  ...delegates({ 'list contains': ['list', 'element'], 'index of': ['list', 'match'] }, 'deep'),
  union: {
    params: ['...lists'],
    cost: 'deep',
    fn: (_c, lists) => {
      const all = lists.length === 1 && Array.isArray(lists[0]) && lists[0].every(Array.isArray) ? lists[0] : lists;
      return all.every(Array.isArray) ? distinct(all as unknown[][]) : null;
    },
  },
  'distinct values': {
    params: ['list'],
    cost: 'deep',
    fn: (_c, [list]) => (Array.isArray(list) ? distinct([list]) : null),
  },
  count: delegate('count', ['list'], { cost: 'const' }),
  'is empty': { params: ['list'], cost: 'const', fn: (_c, [list]) => (Array.isArray(list) ? list.length === 0 : null) },
  partition: { params: ['list', 'size'], fn: (_c, [list, size]) => partition(list, size) },
  'duplicate values': {
    params: ['list'],
    cost: 'deep',
    fn: (_c, [list]) => (Array.isArray(list) ? duplicates(list) : null),
  },
};
