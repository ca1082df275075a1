/**
 * The building blocks of `/v2`: Camunda keys for Baton ids (decimal, reversible, never ambiguous
 * between an instance and something inside one) and Camunda's search requests (filter operators,
 * sort, offset and cursor pages, clear refusals of what Baton cannot answer).
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/src/runtime/api-types.js';
import {
  decodeIdKey,
  decodeInstanceKey,
  decodeKey,
  idKey,
  instanceKey,
  scopedKey,
} from '../../engine/src/server/v2/keys.js';
import { search } from '../../engine/src/server/v2/search.js';

describe('keys', () => {
  it('round-trip instances and what is inside them, as decimal strings', () => {
    for (const id of ['1', '42', '123456789']) {
      expect(instanceKey(id)).toMatch(/^[1-9][0-9]*$/);
      expect(decodeInstanceKey(instanceKey(id))).toBe(id);
      for (const n of ['2', '17', '100000']) {
        const key = idKey(`${id}-${n}`);
        expect(key).toMatch(/^[1-9][0-9]{1,24}$/);
        expect(decodeIdKey(key, 'Job')).toBe(`${id}-${n}`);
        expect(decodeKey(scopedKey(id, n), 'Element instance')).toEqual({ instanceId: id, local: n, id: `${id}-${n}` });
      }
    }
    expect(scopedKey('42', '1')).toBe(instanceKey('42'));
  });

  it('never read an instance key as a key inside one, nor the reverse', () => {
    expect(() => decodeIdKey(instanceKey('42'), 'Job')).toThrow(EngineError);
    expect(() => decodeInstanceKey(idKey('4-2'))).toThrow(EngineError);
    expect(instanceKey('114')).not.toBe(idKey('1-14'));
  });

  it('answer 404 for strings that name nothing', () => {
    for (const bad of ['', '0', '7', 'abc', '2x', '-11', '1', '9123', '1'.repeat(26), '111']) {
      let status = 0;
      try {
        decodeKey(bad, 'Process instance');
      } catch (err) {
        status = (err as EngineError).status;
      }
      expect(status, bad).toBe(404);
    }
  });
});

const items = [
  { key: '11', name: 'alpha', n: 3, at: '2026-01-01T00:00:00.000Z', tag: null as string | null },
  { key: '12', name: 'beta', n: 1, at: '2026-01-03T00:00:00.000Z', tag: 'x' },
  { key: '13', name: 'gamma', n: 2, at: '2026-01-02T00:00:00.000Z', tag: 'y' },
];
const spec = { fields: ['key', 'name', 'n', 'at', 'tag'] as const };
const keys = (body: unknown) => search(items, body, spec).items.map((i) => i.key);

describe('search', () => {
  it('filters by exact values and by every operator', () => {
    expect(keys({ filter: { name: 'beta' } })).toEqual(['12']);
    expect(keys({ filter: { name: { $neq: 'beta' } } })).toEqual(['11', '13']);
    expect(keys({ filter: { key: { $in: ['11', '13'] } } })).toEqual(['11', '13']);
    expect(keys({ filter: { key: { $notIn: ['11', '13'] } } })).toEqual(['12']);
    expect(keys({ filter: { tag: { $exists: false } } })).toEqual(['11']);
    expect(keys({ filter: { name: { $like: '*a*a' } } })).toEqual(['11', '13']);
    expect(keys({ filter: { name: { $like: 'b?ta' } } })).toEqual(['12']);
    expect(keys({ filter: { n: { $gt: 1, $lte: 3 } } })).toEqual(['11', '13']);
    expect(keys({ filter: { at: { $gte: '2026-01-02T00:00:00Z' } } })).toEqual(['12', '13']);
    expect(keys({ filter: { at: '2026-01-03T00:00:00Z' } })).toEqual(['12']);
  });

  it('sorts, nulls last, and pages by offset and by cursor', () => {
    expect(keys({ sort: [{ field: 'n', order: 'DESC' }] })).toEqual(['11', '13', '12']);
    expect(keys({ sort: [{ field: 'tag' }] })).toEqual(['12', '13', '11']);
    const first = search(items, { sort: [{ field: 'at' }], page: { limit: 2 } }, spec);
    expect(first.items.map((i) => i.key)).toEqual(['11', '13']);
    expect(first.page.totalItems).toBe(3);
    const next = search(items, { sort: [{ field: 'at' }], page: { limit: 2, after: first.page.endCursor } }, spec);
    expect(next.items.map((i) => i.key)).toEqual(['12']);
    const back = search(items, { sort: [{ field: 'at' }], page: { limit: 2, before: next.page.startCursor } }, spec);
    expect(back.items.map((i) => i.key)).toEqual(['11', '13']);
    expect(keys({ page: { from: 1, limit: 1 } })).toEqual(['12']);
    const none = search(items, { filter: { name: 'zeta' } }, spec);
    expect(none.page).toEqual({ totalItems: 0, hasMoreTotalItems: false, startCursor: null, endCursor: null });
  });

  it('refuses what it cannot answer instead of ignoring it, and ignores unknown top-level fields', () => {
    const status = (body: unknown) => {
      try {
        search(items, body, spec);
        return 200;
      } catch (err) {
        return (err as EngineError).status;
      }
    };
    expect(status({ filter: { color: 'red' } })).toBe(400);
    expect(status({ filter: { name: { $regex: 'a' } } })).toBe(400);
    expect(status({ sort: [{ field: 'color' }] })).toBe(400);
    expect(status({ page: { after: 'not a cursor' } })).toBe(400);
    expect(status({ page: { limit: -1 } })).toBe(400);
    expect(status({ somethingNew: true, filter: { name: 'beta' } })).toBe(200);
  });
});
