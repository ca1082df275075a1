/**
 * Several real `baton serve` processes on one PostgreSQL database, for the cross-node tests, and
 * the checks that what they wrote is whole: every instance has its start, at most one end, and
 * the jobs its state says it waits for.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { call, ServerProcess } from '../torture/server-process.js';
import type { TestDatabase } from './pg.js';

/** test/fixtures/storage/cluster.bpmn: cl_parent → cl_child (user task), cl_job (one job of type cl.work). */
export const CLUSTER_XML = readFileSync(
  fileURLToPath(new URL('../fixtures/storage/cluster.bpmn', import.meta.url)),
  'utf8',
);

/** Starts `n` servers on `db` at once; resolves once all of them listen. */
export async function startNodes(db: TestDatabase, n: number): Promise<ServerProcess[]> {
  const nodes = Array.from({ length: n }, () => new ServerProcess({ dbPath: db.url }));
  await Promise.all(nodes.map((s) => s.start()));
  return nodes;
}

/** Stops every node (SIGTERM, SIGKILL after 5 s). */
export async function stopNodes(nodes: readonly ServerProcess[]): Promise<void> {
  await Promise.all(nodes.map((s) => s.stop()));
}

/** Sends one request to several nodes at the same moment; resolves to their answers in order. */
export function atOnce(
  nodes: readonly ServerProcess[],
  method: string,
  path: string,
  json?: unknown,
  headers?: Record<string, string>,
) {
  return Promise.all(nodes.map((s) => call(s, method, path, json, headers, 0)));
}

/** Polls `GET /api/instances/:id` on `node` until its status is `status`; resolves to the instance. */
export async function waitStatus(node: ServerProcess, id: string, status: string, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(node, 'GET', `/api/instances/${id}`);
    if (r.body?.status === status) return r.body;
    if (Date.now() > deadline)
      throw new Error(`Expected instance ${id} to be ${status}, but it is ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** How often each history type occurs for instance `id` (optionally only for `elementId`). */
export async function historyCount(db: TestDatabase, id: string, type: string, elementId?: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT COUNT(*)::int AS n FROM history WHERE instance_id = $1 AND type = $2 AND ($3::text IS NULL OR element_id = $3)`,
    [id, type, elementId ?? null],
  );
  return rows[0]!.n;
}

/**
 * Asserts that every instance in the database is whole: started once, ended at most once and only
 * when its row says so, and holding exactly the jobs and user tasks its state waits on.
 */
export async function expectConsistent(db: TestDatabase): Promise<{ active: number; completed: number }> {
  const rows = await db.query<{
    id: string;
    status: string;
    state: string;
    started: number;
    ended: number;
    jobs: number;
    tasks: number;
  }>(`SELECT i.id, i.status, i.state,
        (SELECT COUNT(*)::int FROM history h WHERE h.instance_id = i.id AND h.type = 'process-started') AS started,
        (SELECT COUNT(*)::int FROM history h WHERE h.instance_id = i.id AND h.type IN ('process-completed', 'process-cancelled')) AS ended,
        (SELECT COUNT(*)::int FROM jobs j WHERE j.instance_id = i.id) AS jobs,
        (SELECT COUNT(*)::int FROM user_tasks t WHERE t.instance_id = i.id) AS tasks
      FROM instances i`);
  let active = 0;
  let completed = 0;
  for (const r of rows) {
    const state = JSON.parse(r.state) as {
      status: string;
      elements: Record<string, { job?: unknown; userTask?: unknown }>;
    };
    const waitsOnJobs = Object.values(state.elements).filter((e) => e.job).length;
    const waitsOnTasks = Object.values(state.elements).filter((e) => e.userTask).length;
    const what = `instance ${r.id} (${r.status}, started ${r.started}, ended ${r.ended}, jobs ${r.jobs}, tasks ${r.tasks})`;
    expect(r.started, what).toBe(1);
    expect(state.status, what).toBe(r.status === 'suspended' ? 'active' : r.status);
    if (r.status === 'active' || r.status === 'suspended') {
      active++;
      expect([r.ended, r.jobs, r.tasks], what).toEqual([0, waitsOnJobs, waitsOnTasks]);
    } else {
      completed++;
      expect([r.ended, r.jobs, r.tasks], what).toEqual([1, 0, 0]);
    }
  }
  const orphans = await db.query(
    `SELECT 'job' AS kind, key AS id FROM jobs j WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = j.instance_id)
     UNION ALL SELECT 'history', instance_id FROM history h WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = h.instance_id)`,
  );
  expect(orphans).toEqual([]);
  return { active, completed };
}

/**
 * One long poll on `poller` for a `cl.work` job that `creator` creates 255 ms + `offsetMs` into the
 * poll; resolves to how long after the creating command answered the poll answered with that job.
 * Without a wake-up from the other node the poll would only find the job when it asks again (the
 * HTTP long poll asks every 250 ms), some 200–240 ms later; a LISTEN wake-up takes a few ms.
 */
export async function wakeupLatency(poller: ServerProcess, creator: ServerProcess, offsetMs = 0): Promise<number> {
  const poll = call(poller, 'POST', '/api/jobs/activate', {
    type: 'cl.work',
    worker: 'lp',
    maxJobs: 1,
    waitMs: 10_000,
  });
  await new Promise((r) => setTimeout(r, 255 + offsetMs));
  const started = await call(creator, 'POST', '/api/processes/cl_job/instances', {});
  const createdAt = Date.now();
  const got = await poll;
  const latency = Date.now() - createdAt;
  expect(got.body.jobs.map((j: { instanceId: string }) => j.instanceId)).toEqual([started.body.id]);
  expect((await call(poller, 'POST', `/api/jobs/${got.body.jobs[0].key}/complete`, {})).status).toBeLessThan(300);
  return latency;
}

/**
 * Measures {@link wakeupLatency} until one is under 100 ms (only a LISTEN wake-up is that quick) or
 * `withinMs` passed; resolves to every latency seen and when the quick one came.
 */
export async function untilWokenAtOnce(
  poller: ServerProcess,
  creator: ServerProcess,
  withinMs: number,
): Promise<{ latencies: number[]; afterMs: number }> {
  const t0 = Date.now();
  const latencies: number[] = [];
  while (Date.now() - t0 < withinMs) {
    latencies.push(await wakeupLatency(poller, creator, (latencies.length % 5) * 10));
    if (latencies[latencies.length - 1]! < 100) break;
  }
  return { latencies, afterMs: Date.now() - t0 };
}
