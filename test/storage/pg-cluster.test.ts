/**
 * Three real `baton serve` nodes on one PostgreSQL database: whatever several nodes are asked at the
 * same moment happens once — a job completed on three nodes, a message with a messageId published on
 * three, a timer due while three run, an Idempotency-Key start sent to three — a call activity's child
 * may complete on another node than its parent lives on, and a job created on one node wakes a long
 * poll waiting on another at once (LISTEN/NOTIFY, well under the 1 s poll fallback).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, deploy, type ServerProcess } from '../torture/server-process.js';
import {
  atOnce,
  CLUSTER_XML,
  expectConsistent,
  historyCount,
  startNodes,
  stopNodes,
  waitStatus,
  wakeupLatency,
} from './cluster.js';
import { createTestDatabase, describePg, type TestDatabase } from './pg.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESTART_XML = readFileSync(fileURLToPath(new URL('../restart.bpmn', import.meta.url)), 'utf8');
const ROUNDS = 6;

describePg('three nodes on one PostgreSQL database', () => {
  let db: TestDatabase;
  let nodes: ServerProcess[];
  let a: ServerProcess, b: ServerProcess, c: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    nodes = await startNodes(db, 3);
    [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    expect((await deploy(a, CLUSTER_XML)).status).toBe(201);
    expect((await deploy(b, RESTART_XML)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    if (nodes) await stopNodes(nodes);
    await db?.drop();
  });

  const start = async (node: ServerProcess, processId: string, variables: Record<string, unknown> = {}) => {
    const r = await call(node, 'POST', `/api/processes/${processId}/instances`, { variables });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };

  it('names itself and the database in /api/health', async () => {
    const health = await Promise.all(nodes.map((n) => call(n, 'GET', '/api/health')));
    const names = health.map((h) => h.body.node);
    expect(new Set(names).size).toBe(3);
    for (const h of health)
      expect(h.body.database).toMatchObject({ kind: 'postgres', location: expect.stringContaining(db.name) });
  });

  it('completes a job sent to three nodes at once exactly once; the others answer a clear 4xx', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // given an instance waiting on a job that a worker activated on node C
      const id = await start(a, 'cl_job');
      const act = await call(c, 'POST', '/api/jobs/activate', { type: 'cl.work', worker: 'w', maxJobs: 1 });
      expect(act.body.jobs.map((j: { instanceId: string }) => j.instanceId)).toEqual([id]);
      const key = act.body.jobs[0].key;
      // when the worker's completion reaches all three nodes at the same moment
      const answers = await atOnce(nodes, 'POST', `/api/jobs/${key}/complete`, { variables: { by: round } });
      // then one succeeds and the others get a 4xx with a code; the instance moved once
      const ok = answers.filter((r) => r.status < 300);
      const refused = answers.filter((r) => r.status >= 400 && r.status < 500);
      expect(ok, JSON.stringify(answers)).toHaveLength(1);
      expect(refused, JSON.stringify(answers)).toHaveLength(2);
      for (const r of refused) expect(r.body.error.code).toMatch(/^(JOB_NOT_FOUND|JOB_NOT_LOCKED)$/);
      await waitStatus(b, id, 'completed');
      expect(await historyCount(db, id, 'element-completed', 'Work')).toBe(1);
      expect(await historyCount(db, id, 'process-completed')).toBe(1);
    }
  });

  it('correlates a message with a messageId published on three nodes at once exactly once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // given an instance waiting for restart.go with key m<round>, and a second one with the same key
      const key = `m${round}`;
      const first = await start(a, 'restart', { kind: 'message', key });
      const second = await start(c, 'restart', { kind: 'message', key });
      // when the same message (same messageId) is published on all three nodes at the same moment
      const body = { name: 'restart.go', correlationKey: key, messageId: `id-${round}`, variables: { round } };
      const answers = await atOnce(nodes, 'POST', '/api/messages', body);
      // then all are acknowledged, and exactly one instance got it, once
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const correlated = answers.flatMap((r) => r.body.correlated as string[]);
      expect(correlated, JSON.stringify(answers)).toHaveLength(1);
      expect(correlated[0]).toBe(first);
      await waitStatus(c, first, 'completed');
      expect(await historyCount(db, first, 'element-completed', 'Msg')).toBe(1);
      expect((await call(b, 'GET', `/api/instances/${second}`)).body.activeElements).toEqual(['Msg']);
    }
  });

  it('fires a timer due while three nodes run exactly once, instance and start timers alike', async () => {
    // given ten instances waiting on the 1.5 s timer, started on all three nodes, and a process
    // whose timer start event is due in one second
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) => start(nodes[i % 3]!, 'restart', { kind: 'timer', key: `t${i}` })),
    );
    const at = new Date(Date.now() + 1000).toISOString();
    const timerStart = RESTART_XML.replace(/id="restart"/, 'id="cl_timer_start"')
      .replace(
        '<bpmn:startEvent id="Start" />',
        `<bpmn:startEvent id="Start"><bpmn:timerEventDefinition><bpmn:timeDate>${at}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent>`,
      )
      .replace('name="restart.go"', 'name="cl.timer.go"');
    expect((await deploy(c, timerStart)).status).toBe(201);
    // when the timers are due and every node's scheduler sees them
    for (const id of ids) await waitStatus(nodes[Number(id) % 3]!, id, 'completed', 15_000);
    const started = async () =>
      (await call(a, 'GET', '/api/instances?processId=cl_timer_start')).body.items as { id: string }[];
    const deadline = Date.now() + 10_000;
    while (!(await started()).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));
    // then every timer fired once
    for (const id of ids) expect(await historyCount(db, id, 'element-completed', 'Wait')).toBe(1);
    expect(await started()).toHaveLength(1);
    expect((await db.query('SELECT key FROM timers')).length).toBe(0);
  });

  it("completes a call activity whose child's task is completed on another node than the parent's", async () => {
    for (let round = 0; round < 3; round++) {
      // given a parent started on node A, whose child waits on a user task
      const parent = await start(a, 'cl_parent', { round });
      const child = await (async () => {
        const deadline = Date.now() + 5000;
        for (;;) {
          const r = await call(b, 'GET', '/api/instances?processId=cl_child&status=active');
          const mine = (r.body.items as { id: string; variables: { round: number } }[]).find(
            (i) => i.variables.round === round,
          );
          if (mine) return mine.id;
          if (Date.now() > deadline) throw new Error(`no child of parent ${parent}`);
          await new Promise((res) => setTimeout(res, 25));
        }
      })();
      // when the child's task is completed on node B
      const task = (await call(b, 'GET', `/api/user-tasks?instanceId=${child}`)).body[0];
      expect(
        (await call(b, 'POST', `/api/user-tasks/${task.id}/complete`, { variables: { reviewed: round } })).status,
      ).toBeLessThan(300);
      // then the child completes and the parent, read on node C, moved on past the call activity with its variables
      await waitStatus(c, child, 'completed');
      const p = await (async () => {
        const deadline = Date.now() + 5000;
        for (;;) {
          const r = (await call(c, 'GET', `/api/instances/${parent}`)).body;
          if (r.activeElements.includes('After')) return r;
          if (Date.now() > deadline) throw new Error(`parent ${parent} did not move on: ${JSON.stringify(r)}`);
          await new Promise((res) => setTimeout(res, 25));
        }
      })();
      expect(p.variables.reviewed).toBe(round);
      expect(await historyCount(db, parent, 'element-completed', 'Call')).toBe(1);
    }
  });

  it('applies two commands on one instance sent to two nodes at once, both of them, neither lost', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // given an instance waiting on two parallel user tasks
      const id = await start(c, 'cl_parallel');
      const tasks = (await call(c, 'GET', `/api/user-tasks?instanceId=${id}`)).body as {
        id: string;
        elementId: string;
      }[];
      expect(tasks.map((t) => t.elementId).sort()).toEqual(['Left', 'Right']);
      // when one task is completed on node A and the other on node B at the same moment
      const [left, right] = [tasks.find((t) => t.elementId === 'Left')!, tasks.find((t) => t.elementId === 'Right')!];
      const answers = await Promise.all([
        call(a, 'POST', `/api/user-tasks/${left.id}/complete`, { variables: { left: round } }, {}, 0),
        call(b, 'POST', `/api/user-tasks/${right.id}/complete`, { variables: { right: round } }, {}, 0),
      ]);
      // then both succeed (the one that met the other's update ran again), and the instance has both
      expect(
        answers.map((r) => r.status),
        JSON.stringify(answers),
      ).toEqual([200, 200]);
      const done = await waitStatus(c, id, 'completed');
      expect(done.variables).toMatchObject({ left: round, right: round });
      expect(await historyCount(db, id, 'element-completed', 'Join')).toBe(1);
      expect(await historyCount(db, id, 'process-completed')).toBe(1);
    }
  });

  it('starts one instance for a message start event published on three nodes at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // when the same order message (no messageId) is published on all three nodes at once
      const body = { name: 'cl.order', correlationKey: `order-${round}`, variables: { orderId: `order-${round}` } };
      const answers = await atOnce(nodes, 'POST', '/api/messages', body);
      // then one instance was started for that correlation key, whichever node started it
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const started = answers.flatMap((r) => r.body.started as string[]);
      expect(started, JSON.stringify(answers.map((r) => r.body))).toHaveLength(1);
      const rows = await db.query(`SELECT id FROM instances WHERE process_id = 'cl_msg_start' AND state LIKE $1`, [
        `%"order-${round}"%`,
      ]);
      expect(rows).toHaveLength(1);
    }
  });

  it('starts one instance for an Idempotency-Key sent to three nodes at once, and answers all alike', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // when the same start with the same key reaches all three nodes at the same moment
      const headers = { 'idempotency-key': `idem-${round}` };
      const body = { variables: { kind: 'user', round }, businessKey: `idem-${round}` };
      const answers = await atOnce(nodes, 'POST', '/api/processes/restart/instances', body, headers);
      // then all answer 201 with the same instance, and there is one
      expect(
        answers.map((r) => r.status),
        JSON.stringify(answers),
      ).toEqual([201, 201, 201]);
      expect(answers[1]!.body).toEqual(answers[0]!.body);
      expect(answers[2]!.body).toEqual(answers[0]!.body);
      const listed = await call(c, 'GET', `/api/instances?businessKey=idem-${round}`);
      expect(listed.body.total).toBe(1);
    }
  });

  it('wakes a long poll on node B at once when node A creates a job', async () => {
    // given a worker long-polling on node B; when node A creates a job some 260–300 ms into the poll
    const latencies: number[] = [];
    for (let round = 0; round < 5; round++) latencies.push(await wakeupLatency(b, a, round * 10));
    latencies.sort((x, y) => x - y);
    console.log(
      `long-poll wake-up across nodes: median ${latencies[2]} ms, max ${latencies[4]} ms (${latencies.join(', ')})`,
    );
    // then B answers within milliseconds: without the wake-up it would find the job only when it asks
    // again (every 250 ms over HTTP; the engine's own wait falls back to 1 s), some 200–240 ms later
    expect(latencies[2]).toBeLessThan(100);
    expect(latencies[4]).toBeLessThan(1000);
  });

  it('fails a request the database refuses alone: the other commands of its batch are answered and kept', async () => {
    let created = 0;
    for (let round = 0; round < 10; round++) {
      // when five starts and one completion of a job key with a NUL character reach node A together
      const answers = await Promise.all([
        ...Array.from({ length: 5 }, () =>
          call(a, 'POST', '/api/processes/cl_job/instances', { variables: { round } }, {}, 0),
        ),
        call(a, 'POST', '/api/jobs/x%00y/complete', {}, {}, 0),
      ]);
      // then the starts succeed, the hostile request alone gets a 4xx
      expect(
        answers.slice(0, 5).map((r) => r.status),
        JSON.stringify(answers[0]!.body),
      ).toEqual([201, 201, 201, 201, 201]);
      expect(answers[5]!.status).toBeGreaterThanOrEqual(400);
      expect(answers[5]!.status).toBeLessThan(500);
      created += 5;
    }
    // and every instance answered is stored
    const rows = await db.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM instances WHERE process_id = 'cl_job' AND state LIKE '%"round"%'`,
    );
    expect(rows[0]!.n).toBe(created);
  });

  it('runs a job whose type is too long for a notice, and wakes the other nodes for it', async () => {
    // given a process whose job type has 10,000 characters (a NOTIFY payload holds 8,000 bytes)
    const type = `long.${'x'.repeat(10_000)}`;
    const xml = CLUSTER_XML.replace('id="cl_job"', 'id="cl_long_type"').replace('type="cl.work"', `type="${type}"`);
    expect((await deploy(a, xml)).status).toBe(201);
    // when node A starts an instance while a worker long-polls node B for that type
    const poll = call(b, 'POST', '/api/jobs/activate', { type, worker: 'w', maxJobs: 1, waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    const started = await call(a, 'POST', '/api/processes/cl_long_type/instances', {});
    // then the start commits and the worker on B gets the job
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const got = await poll;
    expect(got.body.jobs.map((j: { instanceId: string }) => j.instanceId)).toEqual([started.body.id]);
  });

  it('leaves every instance whole', async () => {
    const { completed } = await expectConsistent(db);
    expect(completed).toBeGreaterThan(20);
  });
});
