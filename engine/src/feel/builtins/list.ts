/**
 * List functions: feelin's, plus Camunda's `is empty`, `partition` and `duplicate values`.
 */
import { delegate, delegates, isNumber, type BuiltinDef } from '../builtin.js';
import { isTemporal, temporalToString, toPlainJson } from '../values.js';

/** A key under which equal FEEL values (numbers, strings, dates, nested lists and contexts) meet. */
function equalityKey(value: unknown): string {
  if (isTemporal(value)) return `t:${value.constructor.name}:${temporalToString(value)}`;
  return `j:${JSON.stringify(toPlainJson(value))}`;
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
    'list contains': ['list', 'element'],
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
  ...delegates({ 'index of': ['list', 'match'], union: ['...list'], 'distinct values': ['list'] }, 'deep'),
  count: delegate('count', ['list'], { cost: 'const' }),
  'is empty': { params: ['list'], cost: 'const', fn: (_c, [list]) => (Array.isArray(list) ? list.length === 0 : null) },
  partition: { params: ['list', 'size'], fn: (_c, [list, size]) => partition(list, size) },
  'duplicate values': {
    params: ['list'],
    cost: 'deep',
    fn: (_c, [list]) => (Array.isArray(list) ? duplicates(list) : null),
  },
};
