import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../engine/src/runtime/group-commit.js';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { createMetrics } from '../../engine/src/runtime/metrics.js';
import { ConflictError, type Tx } from '../../engine/src/storage/port.js';
import { openSqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';

const timer = (key: string) => ({
  key,
  instanceId: null,
  elementKey: null,
  elementId: 'E',
  definitionKey: null,
  dueAt: 1,
  repeat: null,
});
const write = (key: string) => (w: { tx: Tx }) => w.tx.timers.upsert(timer(key));

describe('group commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-gc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('commits the operations of one turn together; one failing after writing is undone alone', async () => {
    // given a store and a group commit
    const store = openSqliteStore({ path: join(dir, 'g.db') });
    const gc = new GroupCommit(store);
    const after: string[] = [];
    // when three operations are submitted in one turn and the middle one throws after writing
    const ok1 = gc.submit({ run: async (w) => (await write('a')(w), w.after(() => after.push('a')), 'a') });
    const bad = gc.submit({
      run: async (w) => {
        await write('b')(w);
        w.after(() => after.push('b'));
        throw new Error('boom');
      },
    });
    const ok2 = gc.submit({ run: async (w) => (await write('c')(w), w.after(() => after.push('c')), 'c') });
    // then the good ones resolve, the bad one rejects, its write is gone and its after-commit work never ran
    await expect(ok1).resolves.toBe('a');
    await expect(bad).rejects.toThrow('boom');
    await expect(ok2).resolves.toBe('c');
    expect((await store.read.work.dueTimers(10, 10)).map((t) => t.key)).toEqual(['a', 'c']);
    expect(after.sort()).toEqual(['a', 'c']);
    await store.close();
  });

  it('answers an operation that fails before writing with its error and keeps the others in the same transaction', async () => {
    // given
    const store = openSqliteStore({ path: join(dir, 'clean.db') });
    let transactions = 0;
    const counting = {
      ...store,
      info: store.info,
      read: store.read,
      reserveIds: store.reserveIds.bind(store),
      durable: store.durable.bind(store),
      onNotice: store.onNotice.bind(store),
      close: store.close.bind(store),
      transaction: <T>(fn: (tx: Tx) => Promise<T>) => {
        transactions++;
        return store.transaction(fn);
      },
    };
    const gc = new GroupCommit(counting);
    // when the middle one of three throws before it writes
    const results = await Promise.allSettled([
      gc.submit({ run: write('x') }),
      gc.submit({
        run: async () => {
          throw new Error('refused');
        },
      }),
      gc.submit({ run: write('y') }),
    ]);
    // then one transaction carried all three
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(transactions).toBe(1);
    expect((await store.read.work.dueTimers(10, 10)).map((t) => t.key)).toEqual(['x', 'y']);
    await store.close();
  });

  it('runs an operation that meets a conflict again in a later batch', async () => {
    // given an operation that conflicts twice and then succeeds
    const store = openSqliteStore({ path: join(dir, 'conflict.db') });
    const gc = new GroupCommit(store);
    let attempts = 0;
    // when it is submitted
    const result = await gc.submit({
      run: async (w) => {
        attempts++;
        if (attempts < 3) throw new ConflictError('someone else changed it');
        await write('z')(w);
        return attempts;
      },
    });
    // then it ran three times and its write is there once
    expect(result).toBe(3);
    expect((await store.read.work.dueTimers(10, 10)).map((t) => t.key)).toEqual(['z']);
    await store.close();
  });

  it('counts metrics only for what committed: a failing start in the same tick counts nothing', async () => {
    // given an engine with a deployed process
    const metrics = createMetrics();
    const engine = await openEngine({ dbPath: join(dir, 'metrics.db'), metrics });
    await engine.deploy(`<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="gc_m" isExecutable="true"><bpmn:startEvent id="S"/><bpmn:userTask id="U"/>
    <bpmn:sequenceFlow id="f" sourceRef="S" targetRef="U"/></bpmn:process></bpmn:definitions>`);
    // when three starts arrive in one tick and the middle one names a process that does not exist
    const results = await Promise.allSettled([
      engine.startInstance({ processId: 'gc_m' }),
      engine.startInstance({ processId: 'nope' }),
      engine.startInstance({ processId: 'gc_m' }),
    ]);
    // then two instances exist and the counter says two
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await engine.listInstances({ processId: 'gc_m' })).total).toBe(2);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^baton_instances_started_total{process_id="gc_m"} 2$/m);
    await engine.close();
  });
});
