/**
 * The storage contract of the operations repositories (engine/src/storage/operations-port.ts): the
 * audit log, batch operations (selection, claims without waiting, results, ends), what a migration
 * moves and what retention deletes — the same cases on every adapter (./operations-sqlite.test.ts,
 * ./operations-postgres.test.ts), against real databases.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { InstanceState } from '../../engine/src/core/state.js';
import type { BatchSelection, Store } from '../../engine/src/storage/port.js';
import { anyEvent } from './contract-data.js';

/** One adapter under test: a fresh, empty store, and (several writers) another node's store on the same database. */
export interface OperationsHarness {
  readonly name: string;
  open(): Promise<{ store: Store; twin?: () => Promise<Store>; close(): Promise<void> }>;
}

const RUNNING = ['active', 'suspended'];

function state(id: string, over: Partial<InstanceState> = {}): InstanceState {
  const processId = over.processId ?? 'p';
  return {
    id,
    processId,
    version: 1,
    definitionKey: `${processId}:1`,
    businessKey: null,
    status: 'active',
    suspended: false,
    startedAt: 1000,
    endedAt: null,
    elements: { '1': { key: '1', elementId: processId, parent: null, phase: 'active' } },
    vars: { '1': {} },
    joins: {},
    compensation: {},
    incidents: {},
    deferred: [],
    nextKey: 2,
    seq: 0,
    ...over,
  };
}

async function seed(store: Store, states: InstanceState[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const s of states) await tx.instances.insert(s, JSON.stringify(s), null);
  });
}

const batch = (id: string, createdAt = 100) => ({
  id,
  kind: 'cancel' as const,
  filter: { processId: 'p' },
  params: {},
  actor: 'dana',
  reason: 'bad deploy',
  createdAt,
});

async function open(h: OperationsHarness) {
  const opened = await h.open();
  const extra: Store[] = [];
  onTestFinished(async () => {
    for (const s of extra) await s.close().catch(() => {});
    await opened.close();
  });
  return {
    store: opened.store,
    twin: opened.twin
      ? async () => {
          const s = await opened.twin!();
          extra.push(s);
          return s;
        }
      : undefined,
  };
}

export function operationsContract(h: OperationsHarness): void {
  describe(`operations storage contract: ${h.name}`, () => {
    it('keeps audit entries written in committed transactions, newest first, filtered and paged', async () => {
      const { store } = await open(h);
      const entry = (time: number, actor: string, action: string, targetId: string) => ({
        time,
        actor,
        action,
        targetType: 'instance',
        targetId,
        reason: `why ${time}`,
        details: { n: time },
      });
      await store.transaction(async (tx) => {
        await tx.operations.audit(entry(10, 'dana', 'cancel', '7'));
        await tx.operations.audit(entry(20, 'eli', 'suspend', '8'));
        await tx.operations.audit({ ...entry(30, 'dana', 'deploy', 'd1'), targetType: 'deployment', actor: null });
      });
      // a rolled-back transaction leaves no entry
      await expect(
        store.transaction(async (tx) => {
          await tx.operations.audit(entry(40, 'mallory', 'cancel', '9'));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const all = await store.read.operations.audit({ limit: 10, offset: 0 });
      expect(all.total).toBe(3);
      expect(all.rows.map((r) => r.time)).toEqual([30, 20, 10]);
      expect(all.rows[2]).toMatchObject({
        actor: 'dana',
        action: 'cancel',
        targetId: '7',
        reason: 'why 10',
        details: { n: 10 },
      });
      expect(all.rows[0]!.actor).toBeNull();
      const q = (over: object) => store.read.operations.audit({ limit: 10, offset: 0, ...over });
      expect((await q({ actor: 'dana' })).rows.map((r) => r.time)).toEqual([10]);
      expect((await q({ action: 'suspend' })).rows.map((r) => r.time)).toEqual([20]);
      expect((await q({ targetType: 'deployment' })).total).toBe(1);
      expect((await q({ targetId: '8' })).rows.map((r) => r.actor)).toEqual(['eli']);
      expect((await q({ from: 15, to: 30 })).rows.map((r) => r.time)).toEqual([20]);
      const page = await q({ limit: 1, offset: 1 });
      expect({ total: page.total, times: page.rows.map((r) => r.time) }).toEqual({ total: 3, times: [20] });
    });

    it('selects the items of a batch by every filter, and refuses past the maximum', async () => {
      const { store } = await open(h);
      const withElement = (id: string, elementId: string, over: Partial<InstanceState> = {}) =>
        state(id, {
          ...over,
          elements: {
            '1': { key: '1', elementId: 'p', parent: null, phase: 'active' },
            '2': { key: '2', elementId, parent: '1', phase: 'active' },
          },
        });
      await seed(store, [
        withElement('1', 'Ship', { businessKey: 'A-1' }),
        withElement('2', 'Approve'),
        withElement('3', 'Ship', { version: 2, definitionKey: 'p:2' }),
        state('4', { status: 'completed', endedAt: 50 }),
        state('5', { processId: 'q' }),
        state('6', { suspended: true }),
      ]);
      await store.transaction((tx) =>
        tx.incidents.insert({
          id: '2-9',
          instanceId: '2',
          elementKey: '2',
          elementId: 'Approve',
          type: 'EXPRESSION_FAILED',
          message: 'm',
          jobKey: null,
          createdAt: 1,
        }),
      );
      const select = async (id: string, s: Partial<BatchSelection>, max = 100) => {
        const n = await store.transaction((tx) =>
          tx.operations.createBatch(batch(id), { statuses: RUNNING, ...s }, max),
        );
        const items = await store.read.operations.batchItems(id, undefined, 100, 0);
        return { n, ids: items.map((i) => i.instanceId) };
      };
      expect(await select('b1', { processId: 'p' })).toEqual({ n: 4, ids: ['1', '2', '3', '6'] });
      expect((await select('b2', { processId: 'p', version: 2 })).ids).toEqual(['3']);
      expect((await select('b3', { elementId: 'Ship' })).ids).toEqual(['1', '3']);
      expect((await select('b4', { incidentType: 'EXPRESSION_FAILED' })).ids).toEqual(['2']);
      expect((await select('b5', { businessKey: 'A-1' })).ids).toEqual(['1']);
      expect((await select('b6', { statuses: ['completed'] })).ids).toEqual(['4']);
      expect((await select('b7', { instanceIds: ['5', '6', '99'] })).ids).toEqual(['5', '6']);
      expect((await select('b8', { statuses: ['suspended'] })).ids).toEqual(['6']);
      // more matches than the maximum: one more than it is answered
      expect((await select('b9', { processId: 'p' }, 2)).n).toBe(3);
      const row = await store.read.operations.batch('b1');
      expect(row).toMatchObject({
        id: 'b1',
        kind: 'cancel',
        state: 'running',
        total: 4,
        filter: { processId: 'p' },
        actor: 'dana',
      });
      expect(await store.read.operations.batchCounts('b1')).toEqual({ pending: 4, done: 0, failed: 0, skipped: 0 });
      expect((await store.read.operations.batches(3, 0)).total).toBe(9);
    });

    it('claims pending items once per lease, records results once, and ends batches', async () => {
      const { store } = await open(h);
      await seed(
        store,
        ['1', '2', '3'].map((id) => state(id)),
      );
      await store.transaction((tx) => tx.operations.createBatch(batch('b'), { statuses: RUNNING }, 100));
      const claim = (worker: string, now: number, limit = 2) =>
        store.transaction((tx) => tx.operations.claimItems(worker, now, now + 1000, limit));
      const first = await claim('node:a', 0);
      expect(first.map((c) => c.instanceId)).toEqual(['1', '2']);
      expect(first[0]!.attempts).toBe(1);
      // claimed items are not handed out again while the claim runs
      expect((await claim('node:b', 10, 10)).map((c) => c.instanceId)).toEqual(['3']);
      expect(await claim('node:b', 20, 10)).toEqual([]);
      expect(await store.read.operations.hasClaimableItems(20)).toBe(false);
      // a result is recorded once; a second one for the same item changes nothing
      await store.transaction(async (tx) => {
        await tx.operations.finishItem('b', '1', 'done', null, 30);
        await tx.operations.finishItem('b', '1', 'failed', 'late', 31);
      });
      // an expired claim comes back, with its attempts counted
      const again = await claim('node:c', 2000, 10);
      expect(again.map((c) => [c.instanceId, c.attempts])).toEqual([
        ['2', 2],
        ['3', 2],
      ]);
      // claims of a worker prefix can be dropped
      await store.transaction((tx) => tx.operations.releaseClaims('node:c'));
      expect(await store.read.operations.hasClaimableItems(2001)).toBe(true);
      await store.transaction(async (tx) => {
        await tx.operations.finishItem('b', '2', 'failed', 'Expected … but …', 40);
        await tx.operations.finishItem('b', '3', 'skipped', 'ended already', 41);
      });
      expect(await store.read.operations.batchCounts('b')).toEqual({ pending: 0, done: 1, failed: 1, skipped: 1 });
      expect((await store.read.operations.batchItems('b', 'failed', 10, 0))[0]).toMatchObject({
        instanceId: '2',
        message: 'Expected … but …',
        updatedAt: 40,
      });
      expect(await store.read.operations.finishedBatches()).toEqual(['b']);
      expect(await store.transaction((tx) => tx.operations.endBatch('b', 'completed', 50))).toBe(true);
      expect(await store.transaction((tx) => tx.operations.endBatch('b', 'cancelled', 60))).toBe(false);
      expect(await store.read.operations.batch('b')).toMatchObject({ state: 'completed', endedAt: 50 });
      expect(await store.read.operations.finishedBatches()).toEqual([]);
    });

    it('hands out no item of a cancelled batch', async () => {
      const { store } = await open(h);
      await seed(store, [state('1')]);
      await store.transaction((tx) => tx.operations.createBatch(batch('b'), { statuses: RUNNING }, 100));
      await store.transaction((tx) => tx.operations.endBatch('b', 'cancelled', 10));
      expect(await store.transaction((tx) => tx.operations.claimItems('w', 20, 30, 10))).toEqual([]);
      expect(await store.read.operations.hasClaimableItems(20)).toBe(false);
    });

    it('moves an instance and its work rows to another version and other elements', async () => {
      const { store } = await open(h);
      await seed(store, [state('7')]);
      await store.transaction(async (tx) => {
        await tx.jobs.insert({
          key: '7-3',
          instanceId: '7',
          elementKey: '2',
          elementId: 'A',
          type: 'a',
          retries: 3,
          headers: {},
          state: 'activatable',
          dueAt: 0,
          worker: null,
          lockUntil: null,
          errorMessage: null,
          createdAt: 1,
        });
        await tx.timers.upsert({
          key: '7-4',
          instanceId: '7',
          elementKey: '2',
          elementId: 'T',
          definitionKey: null,
          dueAt: 5,
          repeat: null,
        });
        await tx.subscriptions.insert(
          {
            key: '7-5',
            kind: 'message',
            name: 'm',
            correlationKey: 'k',
            instanceId: '7',
            elementKey: '2',
            elementId: 'M',
            definitionKey: null,
            processId: 'p',
          },
          1,
        );
        await tx.userTasks.insert({
          id: '7-6',
          instanceId: '7',
          elementKey: '2',
          elementId: 'U',
          name: null,
          assignee: 'ann',
          candidateGroups: [],
          formKey: null,
          createdAt: 1,
        });
        await tx.incidents.insert({
          id: '7-8',
          instanceId: '7',
          elementKey: '2',
          elementId: 'A',
          type: 'X',
          message: 'm',
          jobKey: null,
          createdAt: 1,
        });
      });
      await store.transaction(async (tx) => {
        await tx.operations.changeDefinition('7', 'p:2', 2);
        await tx.operations.moveWork('job', '7-3', 'A2');
        await tx.operations.moveWork('timer', '7-4', 'T2');
        await tx.operations.moveWork('subscription', '7-5', 'M2');
        await tx.operations.moveWork('userTask', '7-6', 'U2');
        await tx.operations.moveWork('incident', '7-8', 'A2');
      });
      expect(await store.read.instances.row('7')).toMatchObject({ version: 2, definitionKey: 'p:2' });
      expect((await store.read.work.job('7-3'))!.elementId).toBe('A2');
      expect((await store.read.work.dueTimers(10, 10))[0]!.elementId).toBe('T2');
      const subs = await store.transaction((tx) => tx.subscriptions.forMessage('m', 'k'));
      expect(subs[0]!.elementId).toBe('M2');
      expect(await store.read.work.userTask('7-6')).toMatchObject({ elementId: 'U2', assignee: 'ann' });
      expect((await store.read.work.incident('7-8'))!.elementId).toBe('A2');
    });

    it('finds ended instances by retention rule and deletes them with their history, never a running one', async () => {
      const { store } = await open(h);
      const ended = (id: string, processId: string, endedAt: number, status: 'completed' | 'cancelled' = 'completed') =>
        state(id, { processId, definitionKey: `${processId}:1`, status, endedAt });
      await seed(store, [
        ended('1', 'p', 10),
        ended('2', 'p', 20, 'cancelled'),
        ended('3', 'q', 5),
        state('4'),
        ended('5', 'p', 90),
      ]);
      await store.transaction((tx) => tx.history.append('1', 10, [anyEvent({ type: 'process-completed' })]));
      await store.transaction((tx) => tx.history.append('4', 10, [anyEvent({ type: 'process-started' })]));
      expect(await store.read.operations.expiredInstances({ endedBefore: 50 }, 10)).toEqual(['3', '1', '2']);
      expect(await store.read.operations.expiredInstances({ endedBefore: 50, exclude: ['q'] }, 10)).toEqual(['1', '2']);
      expect(await store.read.operations.expiredInstances({ endedBefore: 50, processId: 'q' }, 10)).toEqual(['3']);
      expect(await store.read.operations.expiredInstances({ endedBefore: 50 }, 1)).toEqual(['3']);
      // a read fills the cache, the purge must not leave the instance there
      expect(await store.read.instances.state('1')).toBeDefined();
      const n = await store.transaction((tx) => tx.operations.purgeInstances(['1', '2', '4']));
      expect(n).toBe(2);
      expect(await store.read.instances.state('1')).toBeUndefined();
      expect(await store.read.instances.row('2')).toBeUndefined();
      expect(await store.read.instances.history('1')).toEqual([]);
      expect(await store.read.instances.row('4')).toBeDefined();
      expect(await store.read.instances.history('4')).toHaveLength(1);
    });

    it('deletes old idempotency answers and ended batch operations, a bounded number at a time', async () => {
      const { store } = await open(h);
      await seed(store, [state('1'), state('2')]);
      await store.transaction(async (tx) => {
        await tx.idempotency.remember('old', 201, { id: '1' }, 10);
        await tx.idempotency.remember('new', 201, { id: '2' }, 100);
        await tx.operations.createBatch(batch('done', 1), { statuses: RUNNING }, 10);
        await tx.operations.createBatch(batch('live', 2), { statuses: RUNNING }, 10);
      });
      await store.transaction((tx) => tx.operations.endBatch('done', 'completed', 20));
      let purged = 0;
      for (let i = 0; i < 5; i++) purged += await store.transaction((tx) => tx.operations.purgeOperations(50, 1));
      expect(purged).toBe(4);
      expect(await store.transaction((tx) => tx.idempotency.get('old'))).toBeUndefined();
      expect(await store.transaction((tx) => tx.idempotency.get('new'))).toBeDefined();
      expect(await store.read.operations.batch('done')).toBeUndefined();
      expect(await store.read.operations.batch('live')).toBeDefined();
      expect(await store.read.operations.batchCounts('live')).toMatchObject({ pending: 2 });
    });

    if (h.name.startsWith('PostgreSQL'))
      it('two nodes claiming at once never get the same item', async () => {
        const { store, twin } = await open(h);
        const other = await twin!();
        await seed(
          store,
          Array.from({ length: 200 }, (_, i) => state(String(i + 1))),
        );
        await store.transaction((tx) => tx.operations.createBatch(batch('b'), { statuses: RUNNING }, 1000));
        const claims: string[] = [];
        const node = async (s: Store, worker: string) => {
          for (;;) {
            const got = await s.transaction((tx) => tx.operations.claimItems(worker, 0, 60_000, 7));
            if (!got.length) return;
            claims.push(...got.map((c) => c.instanceId));
          }
        };
        await Promise.all([node(store, 'a'), node(other, 'b'), node(store, 'c'), node(other, 'd')]);
        expect(claims).toHaveLength(200);
        expect(new Set(claims).size).toBe(200);
      });
  });
}
