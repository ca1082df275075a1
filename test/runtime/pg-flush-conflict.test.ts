/**
 * PostgreSQL holds writes back until the next read or the commit. When such a flush meets another
 * node's change, the writes of the other commands in that flush already ran: the whole transaction
 * must roll back and every command run again, never commit with one of them half-written (the
 * three-node crash torture once found an instance whose history said "completed" while its state
 * said "waiting").
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InstanceState } from '../../engine/src/core/state.js';
import { GroupCommit } from '../../engine/src/runtime/group-commit.js';
import type { Store } from '../../engine/src/storage/port.js';
import { openPostgresStore } from '../../engine/src/storage/postgres/pg-store.js';
import { anyEvent } from '../storage/contract-data.js';
import { createTestDatabase, describePg, type TestDatabase } from '../storage/pg.js';

const state = (id: string, note: string): InstanceState =>
  ({
    id,
    processId: 'p',
    version: 1,
    definitionKey: 'p:1',
    businessKey: null,
    status: 'active',
    suspended: false,
    startedAt: 0,
    endedAt: null,
    elements: {},
    vars: { '1': { note } },
    joins: {},
    compensation: {},
    incidents: {},
    deferred: [],
    nextKey: 2,
    seq: 0,
  }) as InstanceState;

describePg('held-back writes on PostgreSQL', () => {
  let db: TestDatabase;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await openPostgresStore({ url: db.url });
    b = await openPostgresStore({ url: db.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('a conflict found by a later command flushing them rolls the whole batch back, and every command runs again', async () => {
    // given an instance both nodes know at revision 1
    await a.transaction(async (tx) => tx.instances.insert(state('x', 'v1'), JSON.stringify(state('x', 'v1')), null));
    const gc = new GroupCommit(a);
    let firstRuns = 0;
    let secondRuns = 0;
    // when node A's first command saves x at revision 1 with a history entry (held back), node B
    // saves x meanwhile, and A's second command reads (which flushes the first one's writes)
    const first = gc.submit({
      run: async (w) => {
        firstRuns++;
        const loaded = (await w.tx.instances.take('x'))!;
        if (firstRuns === 1)
          await b.transaction(async (tx) => {
            const other = (await tx.instances.take('x'))!;
            const s = state('x', 'by B');
            await tx.instances.save(s, JSON.stringify(s), other.revision);
          });
        const s = state('x', `by A after ${loaded.state.vars['1']!['note']}`);
        await w.tx.instances.save(s, JSON.stringify(s), loaded.revision);
        await w.tx.history.append('x', 1, [anyEvent({ type: 'written-by-a' })]);
        return loaded.revision;
      },
    });
    const second = gc.submit({
      run: async (w) => {
        secondRuns++;
        return (await w.tx.jobs.get('nothing')) ?? null;
      },
    });
    // then both commands succeed, the first after running again on B's state
    expect(await first).toBe(2);
    expect(await second).toBeNull();
    expect(firstRuns).toBe(2);
    expect(secondRuns).toBe(2);
    // and the stored state and history agree: A's history entry exists once, over B's change
    expect((await a.read.instances.state('x'))!.vars['1']).toEqual({ note: 'by A after by B' });
    expect((await a.read.instances.history('x')).map((h) => h.type)).toEqual(['written-by-a']);
  });
});
