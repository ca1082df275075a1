/**
 * Storage contract, part 2: runnable work — jobs (claims, locks, leases), timers (taken once) and
 * the inbox between instances (taken in seq order per target). See ./contract.ts.
 */
import { expect, it } from 'vitest';
import { definition, fresh, job, seedInstances, timer, type Harness } from './contract-data.js';

export function jobContract(h: Harness): void {
  it('inserts, reads, updates and deletes a job', async () => {
    // given
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    // when a job is inserted, failed with a back-off, and read
    await store.transaction((tx) => tx.jobs.insert(job('1-3', '1', { headers: { a: 'b', 'x y': 'z' } })));
    await store.transaction((tx) =>
      tx.jobs.update('1-3', { retries: 2, state: 'activatable', dueAt: 5000, errorMessage: 'went wrong' }),
    );
    // then
    expect(await store.read.work.job('1-3')).toEqual(
      job('1-3', '1', { headers: { a: 'b', 'x y': 'z' }, retries: 2, dueAt: 5000, errorMessage: 'went wrong' }),
    );
    // when parked without retries, due time or message, they stay
    await store.transaction((tx) => tx.jobs.update('1-3', { state: 'failed' }));
    expect(await store.read.work.job('1-3')).toMatchObject({ retries: 2, state: 'failed', dueAt: 5000 });
    // when updated with retries but without due time or message, those two stay; then deleted
    await store.transaction((tx) => tx.jobs.update('1-3', { retries: 0, state: 'failed' }));
    expect(await store.read.work.job('1-3')).toMatchObject({ retries: 0, state: 'failed', dueAt: 5000 });
    await store.transaction(async (tx) => {
      await tx.jobs.delete('1-3');
      expect(await tx.jobs.get('1-3')).toBeUndefined();
    });
    expect(await store.read.work.job('1-3')).toBeUndefined();
  });

  it('an insert of a job key that exists replaces it (a retried incident creates the job again)', async () => {
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    await store.transaction((tx) => tx.jobs.insert(job('1-3', '1', { retries: 0, state: 'failed' })));
    await store.transaction((tx) => tx.jobs.update('1-3', { retries: 0, state: 'failed', errorMessage: 'boom' }));
    const again = job('1-3', '1', { retries: 5, createdAt: 900, headers: { new: 'yes' }, worker: 'w', lockUntil: 9 });
    await store.transaction((tx) => tx.jobs.insert(again));
    expect(await store.read.work.job('1-3')).toEqual(again);
  });

  it('claims runnable jobs of the asked types oldest first, locks them, and skips the others', async () => {
    // given jobs of two types, one not due yet, one locked, one failed, one of a suspended instance
    const { store } = await fresh(h);
    await seedInstances(store, ['1', '2']);
    await seedInstances(store, ['9'], { suspended: true });
    await store.transaction(async (tx) => {
      await tx.jobs.insert(job('j3', '1', { createdAt: 30 }));
      await tx.jobs.insert(job('j1', '1', { createdAt: 10 }));
      await tx.jobs.insert(job('j2', '2', { createdAt: 20 }));
      await tx.jobs.insert(job('other', '1', { type: 'u', createdAt: 5 }));
      await tx.jobs.insert(job('later', '1', { dueAt: 10_000, createdAt: 1 }));
      await tx.jobs.insert(job('locked', '1', { worker: 'w0', lockUntil: 10_000, createdAt: 2 }));
      await tx.jobs.insert(job('expired', '2', { worker: 'w0', lockUntil: 500, createdAt: 25 }));
      await tx.jobs.insert(job('failed', '1', { state: 'failed', createdAt: 3 }));
      await tx.jobs.insert(job('suspended', '9', { createdAt: 4 }));
    });
    expect(await store.read.work.hasRunnableJobs(['t'], 1000)).toBe(true);
    expect(await store.read.work.hasRunnableJobs(['none'], 1000)).toBe(false);
    expect(await store.read.work.hasRunnableJobs([], 1000)).toBe(false);
    // when a worker claims at most 3 jobs of type t at time 1000
    const claimed = await store.transaction((tx) => tx.jobs.claim(['t'], 'w1', 1000, 61_000, 3));
    // then the oldest runnable ones, locked to it
    expect(claimed.map((j) => j.key)).toEqual(['j1', 'j2', 'expired']);
    expect(claimed.every((j) => j.worker === 'w1' && j.lockUntil === 61_000)).toBe(true);
    expect(await store.read.work.job('j1')).toMatchObject({ worker: 'w1', lockUntil: 61_000 });
    // when claimed again: the rest, then nothing
    const rest = await store.transaction((tx) => tx.jobs.claim(['t', 'u'], 'w2', 1000, 61_000, 10));
    expect(rest.map((j) => j.key)).toEqual(['other', 'j3']);
    expect(await store.transaction((tx) => tx.jobs.claim(['t', 'u'], 'w2', 1000, 61_000, 10))).toEqual([]);
    expect(await store.read.work.hasRunnableJobs(['t', 'u'], 1000)).toBe(false);
    // when the locks run out, the jobs are runnable again
    expect(await store.read.work.hasRunnableJobs(['t'], 61_000)).toBe(true);
  });

  it('moves the locks of one worker forward and releases every lock of a worker prefix, but those of a worker it names', async () => {
    // given jobs locked by two workers of node A and one of node B
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    await store.transaction(async (tx) => {
      await tx.jobs.insert(job('a1', '1', { worker: 'node:A:1', lockUntil: 100 }));
      await tx.jobs.insert(job('a2', '1', { worker: 'node:A:1', lockUntil: 100 }));
      await tx.jobs.insert(job('a3', '1', { worker: 'node:A:2', lockUntil: 100 }));
      await tx.jobs.insert(job('b1', '1', { worker: 'node:B:1', lockUntil: 100 }));
    });
    // when A:1 extends a1 (and names a job it does not hold), then everything of node A is released
    await store.transaction((tx) => tx.jobs.extendLocks('node:A:1', ['a1', 'b1'], 900));
    await store.transaction((tx) => tx.jobs.extendLocks('node:A:1', [], 999));
    expect((await store.read.work.job('a1'))!.lockUntil).toBe(900);
    expect((await store.read.work.job('a2'))!.lockUntil).toBe(100);
    expect((await store.read.work.job('b1'))!.lockUntil).toBe(100);
    await store.transaction((tx) => tx.jobs.releaseLocks('node:A:', 'node:A:2'));
    // then
    for (const k of ['a1', 'a2']) expect(await store.read.work.job(k)).toMatchObject({ worker: null, lockUntil: null });
    expect(await store.read.work.job('a3')).toMatchObject({ worker: 'node:A:2' });
    expect(await store.read.work.job('b1')).toMatchObject({ worker: 'node:B:1' });
    await store.transaction((tx) => tx.jobs.releaseLocks('node:A:'));
    expect(await store.read.work.job('a3')).toMatchObject({ worker: null, lockUntil: null });
  });

  it('a claim rolled back leaves the jobs unlocked', async () => {
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    await store.transaction((tx) => tx.jobs.insert(job('j1', '1')));
    await store
      .transaction(async (tx) => {
        expect(await tx.jobs.claim(['t'], 'w', 1, 100, 5)).toHaveLength(1);
        throw new Error('no');
      })
      .catch(() => {});
    expect(await store.read.work.job('j1')).toMatchObject({ worker: null, lockUntil: null });
  });
}

export function timerContract(h: Harness): void {
  it('keeps timers by due time, replaces one by key, and takes each exactly once', async () => {
    // given three timers and a start timer
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      await tx.timers.upsert(timer('t2', 200));
      await tx.timers.upsert(timer('t1', 100));
      await tx.timers.upsert(timer('t3', 300, { repeat: 'R/PT1S' }));
      await tx.timers.upsert(timer('s1', 50, { instanceId: null, elementKey: null, elementId: 'Start' }));
    });
    // when t2 is moved later (and written whole again)
    await store.transaction((tx) => tx.timers.upsert(timer('t2', 400, { elementId: 'Other', repeat: 'R2/PT1S' })));
    expect((await store.read.work.dueTimers(1000, 10)).find((t) => t.key === 't2')).toEqual(
      timer('t2', 400, { elementId: 'Other', repeat: 'R2/PT1S' }),
    );
    // then
    expect(await store.read.work.nextTimerDue()).toBe(50);
    expect((await store.read.work.dueTimers(300, 10)).map((t) => t.key)).toEqual(['s1', 't1', 't3']);
    expect((await store.read.work.dueTimers(1000, 2)).map((t) => t.key)).toEqual(['s1', 't1']);
    expect((await store.read.work.dueTimers(1000, 10)).find((t) => t.key === 't3')).toEqual(
      timer('t3', 300, { repeat: 'R/PT1S' }),
    );
    // when t1 is taken twice
    const first = await store.transaction((tx) => tx.timers.take('t1'));
    const second = await store.transaction((tx) => tx.timers.take('t1'));
    // then once
    expect(first).toEqual(timer('t1', 100));
    expect(second).toBeUndefined();
    // when one is deleted
    await store.transaction((tx) => tx.timers.delete('t3'));
    expect((await store.read.work.dueTimers(10_000, 10)).map((t) => t.key)).toEqual(['s1', 't2']);
  });

  it('a timer taken in a transaction that rolls back is there again', async () => {
    const { store } = await fresh(h);
    await store.transaction((tx) => tx.timers.upsert(timer('t1', 1)));
    await store
      .transaction(async (tx) => {
        expect(await tx.timers.take('t1')).toBeDefined();
        throw new Error('no');
      })
      .catch(() => {});
    expect((await store.read.work.dueTimers(10, 10)).map((t) => t.key)).toEqual(['t1']);
  });

  it('removes only the start timers of the process named', async () => {
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      await tx.definitions.insertDeployment('d1', 1);
      for (const [pid, v] of [
        ['p', 1],
        ['q', 1],
      ] as const) {
        await tx.definitions.insertDefinition(definition(pid, v));
      }
      await tx.timers.upsert(timer('sp', 1, { instanceId: null, elementKey: null, definitionKey: 'p:1' }));
      await tx.timers.upsert(timer('sq', 1, { instanceId: null, elementKey: null, definitionKey: 'q:1' }));
      await tx.timers.upsert(timer('ip', 1, { definitionKey: 'p:1' }));
    });
    await store.transaction((tx) => tx.timers.deleteStartTimers('p'));
    expect((await store.read.work.dueTimers(10, 10)).map((t) => t.key).sort()).toEqual(['ip', 'sq']);
  });
}

export function inboxContract(h: Harness): void {
  it('takes the items of one target in seq order: a later one waits while an earlier one is there', async () => {
    // given items for targets A (two), B (one) and a fan-out item without target
    const { store } = await fresh(h);
    const seqs = await store.transaction(async (tx) => [
      await tx.inbox.add({ target: 'A', kind: 'command', payload: { n: 1 }, createdAt: 10 }),
      await tx.inbox.add({ target: 'B', kind: 'start', payload: { n: 2 }, createdAt: 10 }),
      await tx.inbox.add({ target: 'A', kind: 'command', payload: { n: 3 }, createdAt: 10 }),
      await tx.inbox.add({ target: null, kind: 'signal', payload: { n: 4 }, createdAt: 10 }),
    ]);
    const [a1, b1, a2, fan] = seqs as [number, number, number, number];
    expect(a1 < b1 && b1 < a2 && a2 < fan).toBe(true);
    // when the later A item is asked for alone
    const early = await store.transaction((tx) => tx.inbox.take([a2]));
    // then it is not taken
    expect(early).toEqual([]);
    // when asked for together (in any order), with the fan-out item
    const taken = await store.transaction((tx) => tx.inbox.take([fan, a2, a1]));
    // then in seq order, with their payloads; B is still there
    expect(taken.map((r) => [r.seq, r.target, r.kind, r.payload])).toEqual([
      [a1, 'A', 'command', { n: 1 }],
      [a2, 'A', 'command', { n: 3 }],
      [fan, null, 'signal', { n: 4 }],
    ]);
    expect(await store.transaction((tx) => tx.inbox.take([a1]))).toEqual([]);
    expect(await store.read.work.hasInbox(10)).toBe(true);
    expect((await store.transaction((tx) => tx.inbox.take([b1]))).map((r) => r.createdAt)).toEqual([10]);
    expect(await store.read.work.hasInbox(10)).toBe(false);
  });

  it('takes the oldest items created by a time, at most a limit, in order per target', async () => {
    // given items created at 10, 20 and 30
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      await tx.inbox.add({ target: 'A', kind: 'command', payload: 1, createdAt: 10 });
      await tx.inbox.add({ target: 'A', kind: 'command', payload: 2, createdAt: 20 });
      await tx.inbox.add({ target: 'B', kind: 'command', payload: 3, createdAt: 20 });
      await tx.inbox.add({ target: 'C', kind: 'command', payload: 4, createdAt: 30 });
    });
    expect(await store.read.work.hasInbox(5)).toBe(false);
    expect(await store.read.work.hasInbox(10)).toBe(true);
    // when the items created by 20 are swept, two at a time
    const first = await store.transaction((tx) => tx.inbox.takeOldest(20, 2));
    const second = await store.transaction((tx) => tx.inbox.takeOldest(20, 2));
    // then
    expect(first.map((r) => r.payload)).toEqual([1, 2]);
    expect(second.map((r) => r.payload)).toEqual([3]);
    expect(await store.read.work.hasInbox(20)).toBe(false);
    expect(await store.read.work.hasInbox(30)).toBe(true);
  });

  it('an inbox item taken in a transaction that rolls back is there again', async () => {
    const { store } = await fresh(h);
    const seq = await store.transaction((tx) =>
      tx.inbox.add({ target: 'A', kind: 'command', payload: {}, createdAt: 1 }),
    );
    await store
      .transaction(async (tx) => {
        expect(await tx.inbox.take([seq])).toHaveLength(1);
        throw new Error('no');
      })
      .catch(() => {});
    expect(await store.transaction((tx) => tx.inbox.take([seq]))).toHaveLength(1);
  });
}
