/** Storage contract, part 1b: reserved ids and recorded migrations. See ./contract.ts. */
import { expect, it } from 'vitest';
import { fresh, type Harness } from './contract-data.js';

export function idContract(h: Harness): void {
  it('reserves consecutive ids that never overlap, per sequence', async () => {
    // given
    const { store } = await fresh(h);
    // when ids are reserved one after another and all at once
    const a = await store.reserveIds('instance', 10);
    const b = await store.reserveIds('instance', 1);
    const parallel = await Promise.all(Array.from({ length: 20 }, () => store.reserveIds('instance', 5)));
    const d = await store.reserveIds('deployment', 3);
    // then every range is its own
    expect(a.count).toBeGreaterThanOrEqual(10);
    expect(b.first).toBeGreaterThanOrEqual(a.first + a.count);
    expectDisjoint([a, b, ...parallel]);
    expect(d.first).toBe(1);
  });

  it('a reservation survives the rollback of the transaction that used it', async () => {
    const { store } = await fresh(h);
    const a = await store.reserveIds('instance', 5);
    await store
      .transaction(async () => {
        throw new Error('rolled back');
      })
      .catch(() => {});
    const b = await store.reserveIds('instance', 5);
    expect(b.first).toBeGreaterThanOrEqual(a.first + a.count);
  });

  it('records its migrations in schema_migrations', async () => {
    // given a fresh store
    const { store, sql } = await fresh(h);
    // then every migration is recorded once, in order, with a name and a time
    const rows = await sql('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
    const versions = rows.map((r) => Number(r.version));
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const r of rows) {
      expect(String(r.name).length).toBeGreaterThan(3);
      expect(Number(r.applied_at)).toBeGreaterThan(Date.parse('2024-01-01'));
    }
    expect(store.info.kind).toMatch(/^(sqlite|postgres)$/);
  });
}

/** Asserts that no two id ranges share an id. */
export function expectDisjoint(ranges: { first: number; count: number }[]): void {
  const sorted = [...ranges].sort((x, y) => x.first - y.first);
  for (let i = 1; i < sorted.length; i++)
    expect(
      sorted[i]!.first,
      `ranges ${JSON.stringify(sorted[i - 1])} and ${JSON.stringify(sorted[i])}`,
    ).toBeGreaterThanOrEqual(sorted[i - 1]!.first + sorted[i - 1]!.count);
}
