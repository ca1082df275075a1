/**
 * Storage contract, part 4: several writers. Where stores share a database (PostgreSQL), two of
 * them work on it at once and nothing is handed out twice, no update is lost and no write waits
 * for another's lock; where one writer owns the database (SQLite), a second one is refused and
 * transactions of one store never interleave. See ./contract.ts.
 */
import { expect, it } from 'vitest';
import { ConflictError, type Notice, type Store } from '../../engine/src/storage/port.js';
import { encode, fresh, job, seedInstances, state, timer, type Harness } from './contract-data.js';
import { expectDisjoint } from './contract-ids.js';

/** Runs `fn` until it returns an empty list; resolves to everything it returned. */
async function drain<T>(fn: () => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const got = await fn();
    if (!got.length) return all;
    all.push(...got);
  }
}

/** Each of `stores` runs `lanes` loops of `fn` at once. */
function race<T>(stores: Store[], lanes: number, fn: (s: Store) => Promise<T[]>): Promise<T[][]> {
  return Promise.all(stores.flatMap((s) => Array.from({ length: lanes }, () => drain(() => fn(s)))));
}

const dupes = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);

export function multiNodeContract(h: Harness): void {
  it('two stores claiming jobs at once never get the same job', async () => {
    // given 300 runnable jobs
    const { store, twin2 } = await fresh(h);
    const b = await twin2();
    await seedInstances(store, ['1']);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 300; i++) await tx.jobs.insert(job(`j${i}`, '1', { createdAt: i }));
    });
    // when two stores, three lanes each, claim 7 at a time until none is left
    const lanes = await race([store, b], 3, (s) => s.transaction((tx) => tx.jobs.claim(['t'], 'w', 1, 1e12, 7)));
    // then every job was claimed exactly once
    const keys = lanes.flat().map((j) => j.key);
    expect(dupes(keys)).toEqual([]);
    expect(keys.length).toBe(300);
    expect(lanes.filter((l) => l.length > 0).length).toBeGreaterThan(1);
  });

  it('two stores taking the same timers at once take each exactly once', async () => {
    // given 200 due timers
    const { store, twin2 } = await fresh(h);
    const b = await twin2();
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.timers.upsert(timer(`t${i}`, i));
    });
    // when both stores try every timer, each in a transaction of its own, all at once
    const keys = Array.from({ length: 200 }, (_, i) => `t${i}`);
    const taken = await Promise.all(
      [store, b].flatMap((s) => keys.map((k) => s.transaction((tx) => tx.timers.take(k)).catch((e: unknown) => e))),
    );
    // then each was taken once; the others answered undefined (or a conflict to retry)
    const got = taken.filter((t): t is { key: string } => !!t && typeof t === 'object' && 'key' in t).map((t) => t.key);
    expect(dupes(got)).toEqual([]);
    expect(got.length).toBe(200);
    expect(taken.filter((t) => t instanceof Error && !(t instanceof ConflictError))).toEqual([]);
  });

  it('two stores sweeping the inbox at once take each item once, in order per target', async () => {
    // given 120 items for 6 targets
    const { store, twin2 } = await fresh(h);
    const b = await twin2();
    await store.transaction(async (tx) => {
      for (let i = 0; i < 120; i++)
        await tx.inbox.add({ target: `T${i % 6}`, kind: 'command', payload: i, createdAt: 1 });
    });
    // when both sweep, two lanes each
    const lanes = await race([store, b], 2, (s) => s.transaction((tx) => tx.inbox.takeOldest(1, 5)));
    // then each item once, and each lane saw a target's items in rising order
    const all = lanes.flat().map((r) => r.payload as number);
    expect(dupes(all.map(String))).toEqual([]);
    expect(all.length).toBe(120);
    for (const lane of lanes)
      for (let t = 0; t < 6; t++) {
        const mine = lane.filter((r) => r.target === `T${t}`).map((r) => r.seq);
        expect(mine).toEqual([...mine].sort((x, y) => x - y));
      }
  });

  it('ids reserved by two stores at once never overlap', async () => {
    const { store, twin2 } = await fresh(h);
    const b = await twin2();
    const ranges = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? store : b).reserveIds('instance', 1 + (i % 7))),
    );
    expectDisjoint(ranges);
  });

  it('an update another store committed is seen, never overwritten', async () => {
    // given store A has read (and cached) instance 1 at revision 1
    const { store: a, twin2 } = await fresh(h);
    const b = await twin2();
    await seedInstances(a, ['1']);
    await a.transaction(async (tx) => {
      await tx.instances.prefetch(['1']);
      expect((await tx.instances.take('1'))?.revision).toBe(1);
    });
    // when store B saves it
    await b.transaction(async (tx) => {
      const l = (await tx.instances.take('1'))!;
      const s = { ...l.state, nextKey: 42 };
      await tx.instances.save(s, encode(s), l.revision);
    });
    // then A sees B's revision, with and without prefetch, and a save at the old revision is a conflict
    await a.transaction(async (tx) => {
      await tx.instances.prefetch(['1']);
      const l = (await tx.instances.take('1'))!;
      expect([l.revision, l.state.nextKey]).toEqual([2, 42]);
    });
    await a.transaction(async (tx) => expect((await tx.instances.peek('1'))?.nextKey).toBe(42));
    const stale = await a
      .transaction(async (tx) => {
        const s = state('1', { nextKey: 1 });
        await tx.instances.save(s, encode(s), 1);
      })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((await b.read.instances.state('1'))?.nextKey).toBe(42);
  });

  it('a save meeting a row another transaction holds is a conflict at once, not a wait', async () => {
    // given store A's open transaction has saved instance 1
    const { store: a, twin2 } = await fresh(h);
    const b = await twin2();
    await seedInstances(a, ['1']);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let saved!: () => void;
    const hasSaved = new Promise<void>((r) => (saved = r));
    const txA = a.transaction(async (tx) => {
      const s = state('1', { nextKey: 7 });
      await tx.instances.save(s, encode(s), 1);
      // PostgreSQL holds writes back until the next read or the commit: a read makes the save happen
      await tx.instances.activeByStartKey('nothing');
      saved();
      await held;
    });
    await hasSaved;
    // when store B saves the same instance at the same revision
    const started = Date.now();
    const fromB = await b
      .transaction(async (tx) => {
        const s = state('1', { nextKey: 8 });
        await tx.instances.save(s, encode(s), 1);
      })
      .catch((e: unknown) => e);
    const waited = Date.now() - started;
    release();
    await txA;
    // then B got a conflict without waiting for A, and A's update stands
    expect(fromB).toBeInstanceOf(ConflictError);
    expect(waited).toBeLessThan(1000);
    expect((await b.read.instances.state('1'))?.nextKey).toBe(7);
  });

  it('the same unique key written by two stores at once is won by exactly one', async () => {
    // given two stores
    const { store: a, twin2 } = await fresh(h);
    const b = await twin2();
    await a.transaction((tx) =>
      tx.messages.buffer(
        { name: 'go', correlationKey: 'k', variables: {}, expiresAt: 1e13, messageId: null, processes: [] },
        1,
      ),
    );
    // when both, ten times at once, remember an idempotency answer, a messageId, a start key, and take the buffered message for process P
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b)
          .transaction(async (tx) => {
            const s = state(`i${i}`);
            return {
              id: await tx.messages.rememberId('m-1', 1e13, 1),
              msg: (await tx.messages.takeBuffered('go', 'k', 'P', 2)) !== undefined,
              start: await tx.instances.insert(s, encode(s), 'start-key').then(
                () => true,
                (e: unknown) => (e instanceof ConflictError ? false : Promise.reject(e)),
              ),
            };
          })
          .then((o) => ({ ...o, ok: true }))
          .catch((e: unknown) => ({ ok: false, conflict: e instanceof ConflictError, error: String(e) })),
      ),
    );
    const idem = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b)
          .transaction((tx) => tx.idempotency.remember('K', 201, { i }, 1))
          .then(() => 'won')
          .catch((e: unknown) => (e instanceof ConflictError ? 'conflict' : String(e))),
      ),
    );
    // then exactly one transaction won each key; the others saw a duplicate or a conflict
    const committed = outcomes.filter((o): o is { ok: true; id: boolean; msg: boolean; start: boolean } => o.ok);
    expect(outcomes.filter((o) => !o.ok && !(o as { conflict: boolean }).conflict)).toEqual([]);
    expect(committed.filter((o) => o.id).length).toBe(1);
    expect(committed.filter((o) => o.msg).length).toBe(1);
    expect((await a.read.instances.list({ limit: 20, offset: 0 })).total).toBe(committed.filter((o) => o.start).length);
    expect(committed.filter((o) => o.start).length).toBeLessThanOrEqual(1);
    expect(idem.filter((x) => x === 'won')).toHaveLength(1);
    expect(idem.filter((x) => x !== 'won' && x !== 'conflict')).toEqual([]);
  });

  it("one store holds a message's correlation lock until it commits", async () => {
    const { store: a, twin2 } = await fresh(h);
    const b = await twin2();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const hasLock = new Promise<void>((r) => (locked = r));
    const txA = a.transaction(async (tx) => {
      expect(await tx.messages.lock('go', 'k')).toBe(true);
      locked();
      await held;
    });
    await hasLock;
    expect(await b.transaction((tx) => tx.messages.lock('go', 'k'))).toBe(false);
    expect(await b.transaction((tx) => tx.messages.lock('go', 'other'))).toBe(true);
    release();
    await txA;
    expect(await b.transaction((tx) => tx.messages.lock('go', 'k'))).toBe(true);
  });

  it('tells the other stores about committed work, and nothing about work rolled back', async () => {
    // given store B listens
    const { store: a, twin2 } = await fresh(h);
    const b = await twin2();
    const heard: Notice[] = [];
    b.onNotice((n) => heard.push(n));
    // when A notifies in a transaction that rolls back, then in one that commits
    await a
      .transaction(async (tx) => {
        tx.notify({ kind: 'jobs', types: ['rolled-back'] });
        throw new Error('no');
      })
      .catch(() => {});
    const sentAt = Date.now();
    await a.transaction(async (tx) => {
      tx.notify({ kind: 'jobs', types: ['t'] });
      tx.notify({ kind: 'jobs', types: ['t'] });
      tx.notify({ kind: 'timers', dueAt: 5 });
    });
    // then B hears the committed notices (each once), quickly
    const deadline = Date.now() + 3000;
    while (heard.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const latency = Date.now() - sentAt;
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual([
      { kind: 'jobs', types: ['t'] },
      { kind: 'timers', dueAt: 5 },
    ]);
    expect(latency).toBeLessThan(500);
  });
}

export function noticeSizeContract(h: Harness): void {
  it('commits a transaction whose notice is too long to send as it is, and still wakes the others', async () => {
    // given store B listens
    const { store: a, twin2 } = await fresh(h);
    const b = await twin2();
    const heard: Notice[] = [];
    b.onNotice((n) => heard.push(n));
    // when A commits work announced with a job type of 10,000 characters (PostgreSQL notices hold 8,000 bytes)
    const long = 't'.repeat(10_000);
    await a.transaction(async (tx) => {
      await tx.timers.upsert(timer('t1', 1));
      tx.notify({ kind: 'jobs', types: [long] });
    });
    // then the work is committed and B is told that jobs (of some type) are there
    expect((await a.read.work.dueTimers(10, 10)).map((t) => t.key)).toEqual(['t1']);
    const deadline = Date.now() + 3000;
    while (!heard.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(heard.length).toBeGreaterThan(0);
    const first = heard[0]!;
    expect(first.kind).toBe('jobs');
    const types = first.kind === 'jobs' ? first.types : ['not a jobs notice'];
    expect(types.length === 0 || types[0] === long).toBe(true);
  });
}

export function singleWriterContract(h: Harness): void {
  it('refuses a second writer on the same database, naming the file and the holder', async () => {
    const { secondWriter } = await fresh(h);
    const err = await secondWriter!().then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('DatabaseLockedError');
    expect(err?.message).toContain(`process ${process.pid}`);
    expect(err?.message).toMatch(/Expected to be the only engine on .+\.db, but it is in use/);
  });
}

export function oneStoreContract(h: Harness): void {
  it('never interleaves two transactions of one store: a second one at the same time is refused', async () => {
    // given a store with jobs
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 20; i++) await tx.jobs.insert(job(`j${i}`, '1', { createdAt: i }));
    });
    // when transactions are started at once
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => store.transaction((tx) => tx.jobs.claim(['t'], 'w', 1, 1e12, 3))),
    );
    // then they never hand out a job twice: either they ran one after another or a nested one was refused
    const keys = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.map((j) => j.key) : []));
    expect(dupes(keys)).toEqual([]);
    for (const r of results)
      if (r.status === 'rejected') expect(String(r.reason)).toMatch(/do not nest|no transaction to be open/);
  });
}
