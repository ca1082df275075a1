/**
 * Storage contract, part 1: transactions (own writes seen, a throw rolls back, committed reads),
 * instances (revisions, start keys) and history. See ./contract.ts.
 */
import { expect, it } from 'vitest';
import { ConflictError } from '../../engine/src/storage/port.js';
import { anyEvent, encode, fresh, incident, job, seedInstances, state, timer, type Harness } from './contract-data.js';

export function transactionContract(h: Harness): void {
  it('reads inside a transaction see its own writes; reads outside see only what committed', async () => {
    // given an empty store
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      // when a transaction writes an instance, a job, an incident and history
      const s = state('1', { businessKey: 'b-1' });
      await tx.instances.insert(s, encode(s), null);
      await tx.jobs.insert(job('1-3', '1'));
      await tx.incidents.insert(incident('1-4', '1'));
      await tx.history.append('1', 1000, [
        anyEvent({ type: 'process-started', elementId: 'p', elementType: 'bpmn:Process' }),
      ]);
      // then the transaction reads them back
      expect((await tx.instances.take('1'))?.revision).toBe(1);
      expect((await tx.instances.peek('1'))?.businessKey).toBe('b-1');
      expect((await tx.jobs.get('1-3'))?.type).toBe('t');
      expect((await tx.incidents.get('1-4'))?.type).toBe('JOB_NO_RETRIES');
      // and committed reads do not see them yet (in memory, with one connection, they refuse to run)
      if (h.nodes === 'memory') {
        await expect(store.read.instances.row('1')).rejects.toThrow(/committed reads .* uncommitted writes/);
        await expect(store.read.work.job('1-3')).rejects.toThrow(/committed reads/);
        await expect(store.read.console.definitions()).rejects.toThrow(/committed reads/);
      } else {
        expect(await store.read.instances.row('1')).toBeUndefined();
        expect(await store.read.work.job('1-3')).toBeUndefined();
        expect(await store.read.instances.history('1')).toEqual([]);
        expect(await store.read.console.instances({})).toEqual({ items: [], total: 0 });
      }
    });
    // then after the commit everyone sees them
    expect((await store.read.instances.row('1'))?.businessKey).toBe('b-1');
    expect((await store.read.instances.state('1'))?.id).toBe('1');
    expect((await store.read.work.job('1-3'))?.headers).toEqual({ h: 'v' });
    expect((await store.read.instances.history('1')).map((e) => e.type)).toEqual(['process-started']);
  });

  it('a throw inside a transaction rolls every write back and is rethrown as it was', async () => {
    // given a committed instance at revision 1
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    const boom = new Error('boom');
    // when a transaction saves it, adds a job, a timer, an inbox item and history, then throws
    const thrown = await store
      .transaction(async (tx) => {
        const loaded = (await tx.instances.take('1'))!;
        const next = { ...loaded.state, businessKey: 'changed' };
        await tx.instances.save(next, encode(next), loaded.revision);
        await tx.jobs.insert(job('1-3', '1'));
        await tx.timers.upsert({
          ...job('x', '1'),
          key: '1-5',
          elementId: 'W',
          definitionKey: null,
          dueAt: 1,
          repeat: null,
        });
        await tx.inbox.add({ target: '1', kind: 'command', payload: { a: 1 }, createdAt: 1 });
        await tx.history.append('1', 1, [anyEvent({ type: 'x' })]);
        throw boom;
      })
      .catch((e: unknown) => e);
    // then the same error comes out and nothing of it is left, in reads nor in the next transaction
    expect(thrown).toBe(boom);
    expect((await store.read.instances.row('1'))?.revision).toBe(1);
    expect((await store.read.instances.state('1'))?.businessKey).toBeNull();
    expect(await store.read.work.job('1-3')).toBeUndefined();
    expect(await store.read.work.nextTimerDue()).toBeUndefined();
    expect(await store.read.work.hasInbox(Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(await store.read.instances.history('1')).toEqual([]);
    await store.transaction(async (tx) => {
      const again = (await tx.instances.take('1'))!;
      expect(again.revision).toBe(1);
      expect(again.state.businessKey).toBeNull();
    });
  });

  it('counts the writes of a transaction, and a transaction that only read commits cleanly', async () => {
    // given
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    // when one transaction only reads and another writes
    const reads = await store.transaction(async (tx) => {
      await tx.instances.peek('1');
      await tx.jobs.get('nope');
      return tx.writes;
    });
    const writes = await store.transaction(async (tx) => {
      await tx.jobs.insert(job('1-3', '1'));
      return tx.writes;
    });
    // then
    expect(reads).toBe(0);
    expect(writes).toBeGreaterThan(0);
  });

  it('a statement the database refuses never lets the writes before it vanish silently', async () => {
    // given a transaction that wrote a timer, then makes a call the database may refuse (a NUL
    // character, which PostgreSQL text cannot hold), as a command with hostile input would
    const { store } = await fresh(h);
    const outcome = await store
      .transaction(async (tx) => {
        await tx.timers.upsert(timer('kept', 1));
        const before = tx.writes;
        const refused = await tx.jobs.get('a\u0000b').then(
          () => false,
          () => true,
        );
        // (a caller that sees no write counted goes on, and commits)
        return { refused, counted: tx.writes !== before };
      })
      .then(
        (o) => ({ ...o, committed: true }),
        () => ({ refused: true, counted: true, committed: false }),
      );
    // then either the transaction went on and its timer is there, or the refusal spoiled it and it
    // says so: a write is counted (the caller rolls back) and it does not commit
    const kept = (await store.read.work.dueTimers(10, 10)).map((t) => t.key);
    if (!outcome.refused) expect(kept).toEqual(['kept']);
    else {
      expect(outcome.counted).toBe(true);
      expect(outcome.committed).toBe(false);
      expect(kept).toEqual([]);
    }
  });

  it('refuses a transaction on a closed store', async () => {
    const { store } = await fresh(h);
    await store.close();
    await expect(store.transaction(async () => 1)).rejects.toThrow();
  });
}

export function instanceContract(h: Harness): void {
  it('saves at the revision it read and refuses a stale revision with ConflictError', async () => {
    // given an instance at revision 1
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    // when it is saved at revision 1, then again at revision 1 (stale)
    await store.transaction(async (tx) => {
      const l = (await tx.instances.take('1'))!;
      const s = { ...l.state, nextKey: 5 };
      await tx.instances.save(s, encode(s), l.revision);
      // then this transaction sees revision 2
      const again = (await tx.instances.take('1'))!;
      expect(again.revision).toBe(2);
      expect(again.state.nextKey).toBe(5);
    });
    const stale = await store
      .transaction(async (tx) => {
        const s = state('1', { nextKey: 9 });
        await tx.instances.save(s, encode(s), 1);
      })
      .catch((e: unknown) => e);
    // then the stale save is a conflict naming the instance, and nothing changed
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).instanceId).toBe('1');
    expect((await store.read.instances.row('1'))?.revision).toBe(2);
    expect((await store.read.instances.state('1'))?.nextKey).toBe(5);
  });

  it('keeps status and end time in the row: completed instances leave the active lists', async () => {
    // given an active instance
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    // when it completes
    await store.transaction(async (tx) => {
      const l = (await tx.instances.take('1'))!;
      const s = { ...l.state, status: 'completed' as const, endedAt: 2000 };
      await tx.instances.save(s, encode(s), l.revision);
    });
    // then the row says so
    const row = (await store.read.instances.row('1'))!;
    expect([row.status, row.endedAt, row.revision]).toEqual(['completed', 2000, 2]);
    expect((await store.read.instances.list({ status: 'active', limit: 10, offset: 0 })).total).toBe(0);
    expect((await store.read.instances.list({ status: 'completed', limit: 10, offset: 0 })).total).toBe(1);
  });

  it('stores a suspended instance with status suspended', async () => {
    const { store } = await fresh(h);
    await seedInstances(store, ['1'], { suspended: true });
    expect((await store.read.instances.row('1'))?.status).toBe('suspended');
  });

  it('refuses a second active instance with the same start key, and a duplicate id, with ConflictError', async () => {
    // given an active instance holding start key K
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      const s = state('1');
      await tx.instances.insert(s, encode(s), 'p\u001fK');
    });
    // when another instance with K is inserted
    const taken = await store
      .transaction(async (tx) => {
        const s = state('2');
        await tx.instances.insert(s, encode(s), 'p\u001fK');
      })
      .catch((e: unknown) => e);
    const duplicate = await store
      .transaction(async (tx) => {
        const s = state('1');
        await tx.instances.insert(s, encode(s), null);
      })
      .catch((e: unknown) => e);
    // then both are conflicts and nothing was written
    expect(taken).toBeInstanceOf(ConflictError);
    expect(duplicate).toBeInstanceOf(ConflictError);
    expect(await store.read.instances.row('2')).toBeUndefined();
    await store.transaction(async (tx) => {
      expect(await tx.instances.activeByStartKey('p\u001fK')).toBe(true);
      expect(await tx.instances.activeByStartKey('p\u001fother')).toBe(false);
    });
    // when the holder completes, then K is free again
    await store.transaction(async (tx) => {
      const l = (await tx.instances.take('1'))!;
      const s = { ...l.state, status: 'completed' as const, endedAt: 2 };
      await tx.instances.save(s, encode(s), l.revision);
      expect(await tx.instances.activeByStartKey('p\u001fK')).toBe(false);
      const t = state('3');
      await tx.instances.insert(t, encode(t), 'p\u001fK');
    });
    expect((await store.read.instances.row('3'))?.status).toBe('active');
  });

  it('a suspended instance still holds its start key', async () => {
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      const s = state('1', { suspended: true });
      await tx.instances.insert(s, encode(s), 'K');
    });
    const e = await store
      .transaction(async (tx) => {
        const s = state('2');
        await tx.instances.insert(s, encode(s), 'K');
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConflictError);
  });

  it('take and peek answer undefined for an unknown instance; prefetch of unknown ids is harmless', async () => {
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      await tx.instances.prefetch(['nope', 'gone']);
      expect(await tx.instances.take('nope')).toBeUndefined();
      expect(await tx.instances.peek('nope')).toBeUndefined();
    });
    expect(await store.read.instances.state('nope')).toBeUndefined();
    expect(await store.read.instances.row('nope')).toBeUndefined();
  });

  it('lists instances newest first with filters, paging and the total before paging', async () => {
    // given five instances of two processes, started at different times
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      for (const [id, pid, at, bk] of [
        ['1', 'a', 10, 'x'],
        ['2', 'a', 20, 'y'],
        ['3', 'b', 30, 'x'],
        ['4', 'a', 40, null],
        ['5', 'a', 40, null],
      ] as const) {
        const s = state(id, { processId: pid, startedAt: at, businessKey: bk });
        await tx.instances.insert(s, encode(s), null);
      }
    });
    // when listed with filters and pages
    const all = await store.read.instances.list({ limit: 10, offset: 0 });
    const ofA = await store.read.instances.list({ processId: 'a', limit: 2, offset: 1 });
    const byKey = await store.read.instances.list({ businessKey: 'x', limit: 10, offset: 0 });
    // then newest first (same start: last inserted first), totals before paging
    expect(all.rows.map((s) => s.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(all.total).toBe(5);
    expect(ofA.rows.map((s) => s.id)).toEqual(['4', '2']);
    expect(ofA.total).toBe(4);
    expect(byKey.rows.map((s) => s.id).sort()).toEqual(['1', '3']);
  });

  it('keeps history in order with its extra fields', async () => {
    // given
    const { store } = await fresh(h);
    await seedInstances(store, ['1', '2']);
    // when history is appended in two transactions, more than 16 events at once (chunked inserts)
    const many = Array.from({ length: 40 }, (_, i) => ({ type: 'element-activated', elementId: `E${i}`, n: i }));
    await store.transaction(async (tx) => {
      await tx.history.append('1', 10, [
        anyEvent({ type: 'process-started', elementId: 'p', elementType: 'bpmn:Process' }),
        anyEvent({ type: 'variables', variables: { a: 1, 'b "q"': ['x'] } }),
      ]);
      await tx.history.append('2', 11, [anyEvent({ type: 'other' })]);
      await tx.history.append('1', 10, []);
    });
    await store.transaction((tx) => tx.history.append('1', 12, many.map(anyEvent)));
    // then
    const h1 = await store.read.instances.history('1');
    expect(h1).toHaveLength(42);
    expect(h1[0]).toMatchObject({ instanceId: '1', time: 10, type: 'process-started', elementType: 'bpmn:Process' });
    expect(h1[1]!.data).toEqual({ variables: { a: 1, 'b "q"': ['x'] } });
    expect(h1[0]!.data).toEqual({});
    expect(h1.slice(2).map((e) => e.data.n)).toEqual(many.map((e) => e.n));
    expect(h1.every((e, i) => i === 0 || e.seq > h1[i - 1]!.seq)).toBe(true);
    expect((await store.read.instances.history('2')).map((e) => e.type)).toEqual(['other']);
  });
}
