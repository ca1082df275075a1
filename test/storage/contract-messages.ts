/**
 * Storage contract, part 3: what outside input meets — message buffers (once per process),
 * messageIds, subscriptions, idempotency keys, user tasks, incidents and definitions. See ./contract.ts.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { ConflictError } from '../../engine/src/storage/port.js';
import {
  definition,
  encode,
  fresh,
  incident,
  resource,
  seedInstances,
  state,
  subscription,
  userTask,
  type Harness,
} from './contract-data.js';

const msg = (name: string, correlationKey: string | null, n: number, expiresAt = 10_000) => ({
  name,
  correlationKey,
  variables: { n },
  expiresAt,
  messageId: null,
  processes: [],
});

export function messageContract(h: Harness): void {
  it('hands a buffered message to each process once, oldest first, while it lives', async () => {
    // given two live messages go/k and one that expired
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      await tx.messages.buffer(msg('go', 'k', 0, 50), 1);
      await tx.messages.buffer(msg('go', 'k', 1), 2);
      await tx.messages.buffer(msg('go', 'k', 2), 3);
      await tx.messages.buffer(msg('go', null, 3), 4);
    });
    // when process A takes twice, process B once, at time 100
    const [a1, a2, a3, b1] = await store.transaction(async (tx) => [
      await tx.messages.takeBuffered('go', 'k', 'A', 100),
      await tx.messages.takeBuffered('go', 'k', 'A', 100),
      await tx.messages.takeBuffered('go', 'k', 'A', 100),
      await tx.messages.takeBuffered('go', 'k', 'B', 100),
    ]);
    // then A got the oldest live one then the next, then none; B the oldest; the expired one nobody
    expect(a1?.variables).toEqual({ n: 1 });
    expect(a1?.processes).toEqual(['A']);
    expect(a2?.variables).toEqual({ n: 2 });
    expect(a3).toBeUndefined();
    expect(b1?.variables).toEqual({ n: 1 });
    expect(b1?.processes).toEqual(['A', 'B']);
    // and a null correlation key matches only null
    const [nul, none] = await store.transaction(async (tx) => [
      await tx.messages.takeBuffered('go', null, 'A', 100),
      await tx.messages.takeBuffered('other', 'k', 'A', 100),
    ]);
    expect(nul?.variables).toEqual({ n: 3 });
    expect(nul?.correlationKey).toBeNull();
    expect(none).toBeUndefined();
    // when time passes beyond their life, nothing is handed out
    expect(await store.transaction((tx) => tx.messages.takeBuffered('go', 'k', 'C', 20_000))).toBeUndefined();
  });

  it('a message taken in a transaction that rolls back can be taken again by that process', async () => {
    const { store } = await fresh(h);
    await store.transaction((tx) => tx.messages.buffer(msg('go', 'k', 1), 1));
    await store
      .transaction(async (tx) => {
        expect(await tx.messages.takeBuffered('go', 'k', 'A', 2)).toBeDefined();
        throw new Error('no');
      })
      .catch(() => {});
    expect(await store.transaction((tx) => tx.messages.takeBuffered('go', 'k', 'A', 2))).toBeDefined();
  });

  it('knows a messageId until it expires', async () => {
    // given
    const { store } = await fresh(h);
    // when an id is remembered twice, then after it expired
    const first = await store.transaction((tx) => tx.messages.rememberId('m-1', 1000, 10));
    const dup = await store.transaction((tx) => tx.messages.rememberId('m-1', 1000, 500));
    const other = await store.transaction((tx) => tx.messages.rememberId('m-2', 1000, 500));
    const afterExpiry = await store.transaction((tx) => tx.messages.rememberId('m-1', 5000, 1000));
    const dupAgain = await store.transaction((tx) => tx.messages.rememberId('m-1', 9000, 2000));
    // then
    expect([first, dup, other, afterExpiry, dupAgain]).toEqual([true, false, true, true, false]);
  });

  it('drops expired messageIds and buffered messages instead of keeping them for ever', async () => {
    // given ids and messages that expire at 100 and at 10 000
    const { store, sql } = await fresh(h);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 5; i++) await tx.messages.rememberId(`old-${i}`, 100, 1);
      await tx.messages.rememberId('young', 10_000, 1);
      for (let i = 0; i < 5; i++) await tx.messages.buffer(msg('old', `k${i}`, i, 100), 1);
      await tx.messages.buffer(msg('young', 'k', 9, 10_000), 1);
    });
    // when, after 100, another id is remembered and a buffered message is looked for
    await store.transaction(async (tx) => {
      await tx.messages.rememberId('new', 10_000, 200);
      await tx.messages.takeBuffered('nothing', null, 'p', 200);
    });
    // then only what still lives is kept
    const ids = await sql('SELECT message_id FROM message_ids ORDER BY message_id');
    expect(ids.map((r) => r.message_id)).toEqual(['new', 'young']);
    const kept = await sql('SELECT name FROM messages');
    expect(kept.map((r) => r.name)).toEqual(['young']);
  });

  it('forgets a messageId remembered in a transaction that rolled back', async () => {
    const { store } = await fresh(h);
    await store
      .transaction(async (tx) => {
        expect(await tx.messages.rememberId('m-1', 1000, 10)).toBe(true);
        throw new Error('no');
      })
      .catch(() => {});
    expect(await store.transaction((tx) => tx.messages.rememberId('m-1', 1000, 10))).toBe(true);
  });

  it('gives the correlation lock of a name and key to a transaction', async () => {
    const { store } = await fresh(h);
    expect(await store.transaction((tx) => tx.messages.lock('go', 'k'))).toBe(true);
    expect(await store.transaction((tx) => tx.messages.lock('go', null))).toBe(true);
  });
}

export function subscriptionContract(h: Harness): void {
  it('finds message subscriptions of instances by name and key, then message start events', async () => {
    // given subscriptions of instances and start events
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      await tx.subscriptions.insert(
        subscription('s-start', { instanceId: null, elementKey: null, correlationKey: null, elementId: 'Start' }),
        1,
      );
      await tx.subscriptions.insert(subscription('s2', { instanceId: '2' }), 20);
      await tx.subscriptions.insert(subscription('s1', { instanceId: '1' }), 10);
      await tx.subscriptions.insert(subscription('s-other-key', { correlationKey: 'j' }), 5);
      await tx.subscriptions.insert(subscription('s-null', { correlationKey: null }), 6);
      await tx.subscriptions.insert(subscription('sig', { kind: 'signal', name: 'go', correlationKey: null }), 7);
      await tx.subscriptions.insert(
        subscription('cond', { kind: 'conditional', name: '', instanceId: null, correlationKey: null }),
        8,
      );
    });
    // when asked
    const found = await store.transaction(async (tx) => ({
      k: (await tx.subscriptions.forMessage('go', 'k')).map((s) => s.key),
      nul: (await tx.subscriptions.forMessage('go', null)).map((s) => s.key),
      none: (await tx.subscriptions.forMessage('nothing', 'k')).map((s) => s.key),
      sig: await tx.subscriptions.forSignal('go'),
      cond: (await tx.subscriptions.startEvents('conditional')).map((s) => s.key),
    }));
    // then instance subscriptions come first in creation order, start events after
    expect(found.k).toEqual(['s1', 's2', 's-start']);
    expect(found.nul).toEqual(['s-null', 's-start']);
    expect(found.none).toEqual([]);
    expect(found.sig).toEqual([subscription('sig', { kind: 'signal', name: 'go', correlationKey: null })]);
    expect(found.cond).toEqual(['cond']);
    // when a subscription is written again under its key, the new one replaces it
    await store.transaction((tx) =>
      tx.subscriptions.insert(subscription('s2', { instanceId: '2', correlationKey: 'k2' }), 30),
    );
    const moved = await store.transaction(async (tx) => ({
      k: (await tx.subscriptions.forMessage('go', 'k')).map((s) => s.key),
      k2: await tx.subscriptions.forMessage('go', 'k2'),
    }));
    expect(moved.k).toEqual(['s1', 's-start']);
    expect(moved.k2[0]).toEqual(subscription('s2', { instanceId: '2', correlationKey: 'k2' }));
    await store.transaction((tx) => tx.subscriptions.insert(subscription('s2', { instanceId: '2' }), 20));
    // when one is deleted and the start events of p removed (they need the definition p:1)
    await store.transaction(async (tx) => {
      await tx.definitions.insertDeployment('d1', 1);
      await tx.definitions.insertDefinition(definition('p', 1));
      await tx.subscriptions.delete('s1');
      await tx.subscriptions.deleteStartEvents('p');
    });
    expect((await store.transaction((tx) => tx.subscriptions.forMessage('go', 'k'))).map((s) => s.key)).toEqual(['s2']);
    expect(await store.transaction((tx) => tx.subscriptions.startEvents('conditional'))).toEqual([]);
  });
}

export function idempotencyContract(h: Harness): void {
  it('remembers the answer of an idempotency key once; a second answer is a conflict', async () => {
    // given an answer stored for K
    const { store } = await fresh(h);
    const body = { id: '7', variables: { a: [1, { b: 'ü' }] } };
    await store.transaction((tx) => tx.idempotency.remember('K', 201, body, 1));
    // when another answer for K is stored
    const again = await store
      .transaction((tx) => tx.idempotency.remember('K', 201, { id: '8' }, 2))
      .catch((e: unknown) => e);
    // then it is a conflict and the first answer stays
    expect(again).toBeInstanceOf(ConflictError);
    expect(await store.transaction((tx) => tx.idempotency.get('K'))).toEqual({ status: 201, body });
    expect(await store.transaction((tx) => tx.idempotency.get('other'))).toBeUndefined();
  });
}

export function longKeyContract(h: Harness): void {
  it('takes business keys, correlation keys, message names and ids, idempotency keys and assignees of any length', async () => {
    // given values of 4,000 random characters (no database index may refuse them)
    const long = (tag: string) => `${tag}-${randomBytes(3000).toString('base64')}`;
    const [bk, ck, name, messageId, idem, assignee] = ['bk', 'ck', 'name', 'mid', 'idem', 'who'].map(long) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const { store } = await fresh(h);
    // when they are written
    await store.transaction(async (tx) => {
      const s = state('1', { businessKey: bk });
      await tx.instances.insert(s, encode(s), `p\u001f${ck}`);
      await tx.subscriptions.insert(subscription('s1', { name, correlationKey: ck }), 1);
      await tx.messages.buffer(
        { name, correlationKey: ck, variables: {}, expiresAt: 1e13, messageId, processes: [] },
        1,
      );
      expect(await tx.messages.rememberId(messageId, 1e13, 1)).toBe(true);
      await tx.idempotency.remember(idem, 201, { id: '1' }, 1);
      await tx.userTasks.insert(userTask('t1', '1', { assignee, candidateGroups: [long('group')] }));
    });
    // then they are found by them
    expect((await store.read.instances.list({ businessKey: bk, limit: 5, offset: 0 })).total).toBe(1);
    expect((await store.read.console.instances({ businessKey: bk })).total).toBe(1);
    await store.transaction(async (tx) => {
      expect(await tx.instances.activeByStartKey(`p\u001f${ck}`)).toBe(true);
      expect((await tx.subscriptions.forMessage(name, ck)).map((x) => x.key)).toEqual(['s1']);
      expect((await tx.messages.takeBuffered(name, ck, 'p', 2))?.messageId).toBe(messageId);
      expect(await tx.messages.rememberId(messageId, 1e13, 2)).toBe(false);
      expect((await tx.idempotency.get(idem))?.status).toBe(201);
    });
    expect((await store.read.work.userTasks({ assignee })).map((t) => t.id)).toEqual(['t1']);
  });
}

export function taskContract(h: Harness): void {
  it('keeps user tasks and lists the open ones by instance, assignee and candidate group', async () => {
    // given three tasks
    const { store } = await fresh(h);
    await seedInstances(store, ['1', '2']);
    await store.transaction(async (tx) => {
      await tx.userTasks.insert(
        userTask('t1', '1', { candidateGroups: ['sales', 'ops'], createdAt: 10, formKey: 'f' }),
      );
      await tx.userTasks.insert(userTask('t2', '2', { candidateGroups: ['ops'], createdAt: 20 }));
      await tx.userTasks.insert(userTask('t3', '2', { candidateGroups: ['sales"x'], createdAt: 30 }));
    });
    // when t2 is claimed and t3 completed (deleted)
    await store.transaction(async (tx) => {
      await tx.userTasks.setAssignee('t2', 'ann');
      await tx.userTasks.delete('t3');
      expect((await tx.userTasks.get('t2'))?.assignee).toBe('ann');
      expect(await tx.userTasks.get('t3')).toBeUndefined();
    });
    // then
    const w = store.read.work;
    expect(await w.userTask('t1')).toEqual(
      userTask('t1', '1', { candidateGroups: ['sales', 'ops'], createdAt: 10, formKey: 'f' }),
    );
    expect((await w.userTasks({})).map((t) => t.id)).toEqual(['t1', 't2']);
    expect((await w.userTasks({ candidateGroup: 'ops' })).map((t) => t.id)).toEqual(['t1', 't2']);
    expect((await w.userTasks({ candidateGroup: 'sales"x' })).map((t) => t.id)).toEqual([]);
    expect((await w.userTasks({ candidateGroup: 'sale' })).map((t) => t.id)).toEqual([]);
    expect((await w.userTasks({ assignee: 'ann' })).map((t) => t.id)).toEqual(['t2']);
    expect((await w.userTasks({ instanceId: '1' })).map((t) => t.id)).toEqual(['t1']);
    expect((await w.userTasks({ limit: 1, offset: 1 })).map((t) => t.id)).toEqual(['t2']);
    // when unclaimed
    await store.transaction((tx) => tx.userTasks.setAssignee('t2', null));
    expect((await w.userTask('t2'))?.assignee).toBeNull();
  });

  it('lists tasks by candidate group exactly, whatever characters other tasks have in their groups', async () => {
    // given tasks whose groups hold a NUL, quotes, a comma, brackets and a group that contains "ops"
    const { store } = await fresh(h);
    await seedInstances(store, ['1']);
    const odd = ['x\u0000y', 'x"ops', 'ops"', '"ops"', 'a,ops', '[ops]', 'ops\\', 'öps'];
    await store.transaction(async (tx) => {
      await tx.userTasks.insert(userTask('t-odd', '1', { candidateGroups: odd, createdAt: 1 }));
      await tx.userTasks.insert(userTask('t-ops', '1', { candidateGroups: ['sales', 'ops'], createdAt: 2 }));
    });
    // when listed by group
    const by = async (g: string) => (await store.read.work.userTasks({ candidateGroup: g })).map((t) => t.id);
    // then only the tasks with exactly that group
    expect(await by('ops')).toEqual(['t-ops']);
    for (const g of odd) expect(await by(g), JSON.stringify(g)).toEqual(['t-odd']);
    expect(await by('x')).toEqual([]);
    expect((await store.read.work.userTask('t-odd'))?.candidateGroups).toEqual(odd);
  });

  it('keeps incidents with the command they hold back', async () => {
    // given
    const { store } = await fresh(h);
    await seedInstances(store, ['1', '2']);
    const command = { type: 'CompleteJob', jobKey: '1-3', variables: { big: 'x' } };
    await store.transaction(async (tx) => {
      await tx.incidents.insert(incident('i2', '2', { createdAt: 20 }));
      await tx.incidents.insert(incident('i1', '1', { createdAt: 10, jobKey: '1-3', command }));
      await tx.incidents.insert(incident('i3', '1', { createdAt: 30 }));
    });
    // then
    expect(await store.read.work.incident('i1')).toEqual(
      incident('i1', '1', { createdAt: 10, jobKey: '1-3', command }),
    );
    expect((await store.read.work.incident('i2'))?.command).toBeUndefined();
    expect((await store.read.work.incidents()).map((i) => i.id)).toEqual(['i1', 'i2', 'i3']);
    expect((await store.read.work.incidents('1')).map((i) => i.id)).toEqual(['i1', 'i3']);
    // when resolved
    await store.transaction((tx) => tx.incidents.delete('i1'));
    expect(await store.read.work.incident('i1')).toBeUndefined();
    expect(await store.transaction((tx) => tx.incidents.get('i3'))).toBeDefined();
  });
}

export function definitionContract(h: Harness): void {
  it('forgets a definition deployed in a transaction that rolled back', async () => {
    // given a deployment whose transaction read its new definition back, then rolled back
    const { store } = await fresh(h);
    await store
      .transaction(async (tx) => {
        await tx.definitions.insertDeployment('d1', 1);
        await tx.definitions.insertResource(resource('d1', 'p.bpmn', '<x/>'));
        await tx.definitions.insertDefinition(definition('p', 1, { deploymentId: 'd1' }));
        expect((await tx.definitions.latest('p'))?.key).toBe('p:1');
        expect((await tx.definitions.byKey('p:1'))?.version).toBe(1);
        throw new Error('rolled back');
      })
      .catch(() => {});
    // then no later transaction nor read finds it, and the same version can be deployed again
    await store.transaction(async (tx) => {
      expect(await tx.definitions.latest('p')).toBeUndefined();
      expect(await tx.definitions.byKey('p:1')).toBeUndefined();
      expect(await tx.definitions.byVersion('p', 1)).toBeUndefined();
    });
    expect(await store.read.definitions.latest('p')).toBeUndefined();
    expect(await store.read.definitions.resource('d1', 'p.bpmn')).toBeUndefined();
    expect(await store.read.definitions.byKey('p:1')).toBeUndefined();
    await store.transaction(async (tx) => {
      await tx.definitions.insertDeployment('d2', 2);
      await tx.definitions.insertDefinition(definition('p', 1, { deploymentId: 'd2' }));
    });
    expect((await store.read.definitions.latest('p'))?.deploymentId).toBe('d2');
  });

  it('keeps deployments and definition versions; the same version twice is a conflict', async () => {
    // given two deployments: p v1 and q v1, then p v2 with a version tag
    const { store } = await fresh(h);
    await store.transaction(async (tx) => {
      await tx.definitions.insertDeployment('d1', 100);
      await tx.definitions.insertResource(resource('d1', 'p.bpmn', '<definitions id="1"/>'));
      await tx.definitions.insertDefinition(definition('p', 1, { deploymentId: 'd1' }));
      await tx.definitions.insertDefinition(definition('q', 1, { deploymentId: 'd1', name: null }));
    });
    await store.transaction(async (tx) => {
      await tx.definitions.insertDeployment('d2', 200);
      await tx.definitions.insertResource(resource('d2', 'p.bpmn', '<definitions id="2"/>'));
      await tx.definitions.insertDefinition(definition('p', 2, { deploymentId: 'd2', versionTag: 'v-2' }));
      // then this transaction sees its version as the latest
      expect((await tx.definitions.latest('p'))?.version).toBe(2);
    });
    // when p v2 is deployed again
    const dup = await store
      .transaction((tx) => tx.definitions.insertDefinition(definition('p', 2, { deploymentId: 'd2' })))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictError);
    // then every lookup answers
    await store.transaction(async (tx) => {
      const d = tx.definitions;
      expect((await d.ofDeployment('d1')).map((x) => x.key)).toEqual(['p:1', 'q:1']);
      expect((await d.latest('p'))?.key).toBe('p:2');
      expect((await d.byVersion('p', 1))?.model).toEqual(definition('p', 1).model);
      expect(await d.byVersion('p', 3)).toBeUndefined();
      expect((await d.byTag('p', 'v-2'))?.key).toBe('p:2');
      expect(await d.byTag('p', 'nope')).toBeUndefined();
      expect(await d.byKey('q:1')).toEqual(definition('q', 1, { deploymentId: 'd1', name: null }));
      expect(await d.latest('nope')).toBeUndefined();
    });
    const r = store.read.definitions;
    expect((await r.all()).map((x) => x.key)).toEqual(['p:1', 'p:2', 'q:1']);
    expect((await r.latest('p'))?.versionTag).toBe('v-2');
    expect((await r.byVersion('q', 1))?.name).toBeNull();
    expect((await r.byKey('p:1'))?.deployedAt).toBe(500);
    expect((await r.ofDeployment('d2')).map((x) => x.key)).toEqual(['p:2']);
    expect((await r.resource('d2', 'p.bpmn'))?.content).toBe('<definitions id="2"/>');
    expect(await r.resource('d9', 'p.bpmn')).toBeUndefined();
    expect(await r.resource('d1', 'q.bpmn')).toBeUndefined();
  });
}
