/**
 * Camunda's search requests over a list of answers already in Camunda's shape: `filter` (an exact
 * value, or an object of the operators `$eq`, `$neq`, `$exists`, `$in`, `$notIn`, `$like` (`*` and
 * `?` wildcards), `$gt`, `$gte`, `$lt`, `$lte`), `sort` (`[{field, order}]`) and `page` (`from` and
 * `limit`, or a cursor `after` / `before` from an earlier answer's `startCursor` / `endCursor`).
 * Answers `{items, page: {totalItems, hasMoreTotalItems, startCursor, endCursor}}`. A filter or
 * sort field Baton cannot answer is refused (`400`), never ignored: that would answer wrongly.
 * Unknown top-level fields are ignored (newer clients send more).
 */
import { EngineError } from '../../runtime/api-types.js';
import { invalidField } from '../validate.js';

/** Default and largest page size. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** A filter Baton computes itself (e.g. over variables), given the item and the filter's value. */
export type CustomFilter<T> = (item: T, condition: unknown) => boolean;

/** What a search of one resource may filter and sort by. */
export interface SearchSpec<T> {
  /** Fields of the answer that filter and sort accept as they are. */
  fields: readonly (keyof T & string)[];
  /** Filters that are not plain fields of the answer. */
  custom?: Record<string, CustomFilter<T>>;
}

/** The answer of a search. */
export interface SearchAnswer<T> {
  items: T[];
  page: { totalItems: number; hasMoreTotalItems: boolean; startCursor: string | null; endCursor: string | null };
}

type Item = Record<string, unknown>;

/** Runs the search `body` over `all`. */
export function search<T extends object>(all: readonly T[], body: unknown, spec: SearchSpec<T>): SearchAnswer<T> {
  const query = isObject(body) ? body : {};
  const filter = query.filter === undefined || query.filter === null ? {} : query.filter;
  if (!isObject(filter)) throw invalidField('filter', 'must be an object');
  const tests: ((item: T) => boolean)[] = [];
  for (const [name, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    const custom = spec.custom?.[name];
    if (custom) tests.push((item) => custom(item, condition));
    else if ((spec.fields as readonly string[]).includes(name)) {
      const test = matcher(`filter.${name}`, condition);
      tests.push((item) => test((item as Item)[name]));
    } else throw invalidField(`filter.${name}`, 'is not a filter Baton supports for this search');
  }
  const matching = all.filter((item) => tests.every((t) => t(item)));
  sortItems(matching, query.sort, spec.fields);
  return paginate(matching, query.page);
}

/** A predicate on one value for the filter `condition` (at `where`, for error messages). */
export function matcher(where: string, condition: unknown): (value: unknown) => boolean {
  if (!isObject(condition)) {
    if (Array.isArray(condition)) throw invalidField(where, 'must be a value or an object of operators');
    return (v) => same(v, condition);
  }
  const checks: ((v: unknown) => boolean)[] = [];
  for (const [op, arg] of Object.entries(condition)) {
    const list = () => {
      if (!Array.isArray(arg)) throw invalidField(`${where}.${op}`, 'must be an array');
      return arg;
    };
    switch (op) {
      case '$eq':
        checks.push((v) => same(v, arg));
        break;
      case '$neq':
        checks.push((v) => !same(v, arg));
        break;
      case '$exists':
        if (typeof arg !== 'boolean') throw invalidField(`${where}.$exists`, 'must be a boolean');
        checks.push((v) => (v !== undefined && v !== null) === arg);
        break;
      case '$in': {
        const values = list();
        checks.push((v) => values.some((a) => same(v, a)));
        break;
      }
      case '$notIn': {
        const values = list();
        checks.push((v) => !values.some((a) => same(v, a)));
        break;
      }
      case '$like': {
        if (typeof arg !== 'string') throw invalidField(`${where}.$like`, 'must be a string');
        const re = likePattern(arg);
        checks.push((v) => typeof v === 'string' && re.test(v));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        checks.push((v) => {
          const c = compare(v, arg);
          if (c === undefined) return false;
          return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
        });
        break;
      }
      default:
        throw invalidField(`${where}.${op}`, 'is not a filter operator Baton knows');
    }
  }
  return (v) => checks.every((c) => c(v));
}

/** `$like`: `*` any run of characters, `?` one character, `\` escapes; the whole value must match. */
function likePattern(like: string): RegExp {
  let out = '';
  for (let i = 0; i < like.length; i++) {
    const ch = like[i]!;
    if (ch === '\\' && i + 1 < like.length) out += escapeRe(like[++i]!);
    else if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else out += escapeRe(ch);
  }
  return new RegExp(`^${out}$`);
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ISO = /^\d{4}-\d{2}-\d{2}T/;

function same(value: unknown, wanted: unknown): boolean {
  if (value === wanted) return true;
  if (typeof value === 'string' && typeof wanted === 'string' && ISO.test(value) && ISO.test(wanted))
    return Date.parse(value) === Date.parse(wanted);
  return false;
}

/** Orders two values of the same kind (numbers, dates, strings); undefined when they cannot be compared. */
function compare(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (ISO.test(a) && ISO.test(b)) return Date.parse(a) - Date.parse(b);
    if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

function sortItems<T extends object>(items: T[], sort: unknown, fields: readonly string[]): void {
  if (sort === undefined || sort === null) return;
  if (!Array.isArray(sort)) throw invalidField('sort', 'must be an array of {field, order}');
  const keys = sort.map((s: unknown, i) => {
    if (!isObject(s) || typeof s.field !== 'string') throw invalidField(`sort[${i}].field`, 'is required');
    if (!fields.includes(s.field)) throw invalidField(`sort[${i}].field`, `'${s.field}' is not a field Baton sorts by`);
    const order = s.order === undefined || s.order === null ? 'ASC' : String(s.order).toUpperCase();
    if (order !== 'ASC' && order !== 'DESC') throw invalidField(`sort[${i}].order`, 'must be ASC or DESC');
    return { field: s.field, sign: order === 'ASC' ? 1 : -1 };
  });
  items.sort((x, y) => {
    for (const { field, sign } of keys) {
      const a = (x as Item)[field];
      const b = (y as Item)[field];
      const nullA = a === null || a === undefined;
      const nullB = b === null || b === undefined;
      if (nullA || nullB) {
        if (nullA !== nullB) return nullA ? 1 : -1; // nulls last
        continue;
      }
      const c = compare(a, b) ?? 0;
      if (c !== 0) return c * sign;
    }
    return 0;
  });
}

/** A cursor: the position of an item in the ordered result, as base64 of JSON. */
function cursorOf(index: number): string {
  return Buffer.from(JSON.stringify({ i: index })).toString('base64');
}

function positionOf(cursor: unknown, where: string): number {
  if (typeof cursor !== 'string') throw invalidField(where, 'must be a cursor string of an earlier answer');
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { i?: unknown };
    if (Number.isSafeInteger(parsed.i) && (parsed.i as number) >= 0) return parsed.i as number;
  } catch {
    // refused below
  }
  throw invalidField(where, 'is not a cursor of an earlier answer');
}

function paginate<T>(items: T[], page: unknown): SearchAnswer<T> {
  const p = page === undefined || page === null ? {} : page;
  if (!isObject(p)) throw invalidField('page', 'must be an object');
  const limit = p.limit === undefined || p.limit === null ? DEFAULT_LIMIT : p.limit;
  if (!Number.isSafeInteger(limit) || (limit as number) < 0 || (limit as number) > MAX_LIMIT)
    throw invalidField('page.limit', `must be an integer from 0 to ${MAX_LIMIT}`);
  let start: number;
  let end: number;
  if (p.after !== undefined && p.after !== null) {
    start = positionOf(p.after, 'page.after') + 1;
    end = start + (limit as number);
  } else if (p.before !== undefined && p.before !== null) {
    end = positionOf(p.before, 'page.before');
    start = Math.max(0, end - (limit as number));
  } else {
    const from = p.from === undefined || p.from === null ? 0 : p.from;
    if (!Number.isSafeInteger(from) || (from as number) < 0)
      throw invalidField('page.from', 'must be an integer of at least 0');
    start = from as number;
    end = start + (limit as number);
  }
  const slice = items.slice(start, Math.min(end, items.length));
  return {
    items: slice,
    page: {
      totalItems: items.length,
      hasMoreTotalItems: false,
      startCursor: slice.length ? cursorOf(start) : null,
      endCursor: slice.length ? cursorOf(start + slice.length - 1) : null,
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Refuses a tenant other than `<default>` (Baton has one tenant until multi-tenancy exists). */
export function checkTenant(tenantId: unknown, where = 'tenantId'): void {
  if (tenantId === undefined || tenantId === null || tenantId === DEFAULT_TENANT) return;
  throw new EngineError(
    400,
    'INVALID_REQUEST',
    `Field '${where}' must be '${DEFAULT_TENANT}': Baton has no other tenant (multi-tenancy is not supported).`,
    [{ field: where, message: `must be '${DEFAULT_TENANT}'` }],
  );
}

/** Camunda's name of the one tenant there is. */
export const DEFAULT_TENANT = '<default>';
