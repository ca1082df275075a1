/**
 * Connection loss on PostgreSQL: while two `baton serve` nodes run under load, every connection to
 * their database is cut (`pg_terminate_backend`, as a database restart or a network cut would).
 * Commands in flight either succeed or fail with `503 UNAVAILABLE`; nothing half-written remains;
 * the nodes reconnect and go on working, LISTEN wake-ups between them included.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, deploy, request, type Reply, type ServerProcess } from '../torture/server-process.js';
import { CLUSTER_XML, expectConsistent, startNodes, stopNodes, untilWokenAtOnce, waitStatus } from './cluster.js';
import { createTestDatabase, describePg, type TestDatabase } from './pg.js';

const LOAD_MS = 4000;
const CUTS_AT = [800, 2000, 3200];
const LANES = 6;

/** What one request of the load got. */
interface Outcome {
  readonly what: string;
  readonly status: number;
  readonly code?: string;
}

describePg('PostgreSQL connections cut under load', () => {
  let db: TestDatabase;
  let nodes: ServerProcess[];
  beforeAll(async () => {
    db = await createTestDatabase();
    nodes = await startNodes(db, 2);
    expect((await deploy(nodes[0]!, CLUSTER_XML)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    if (nodes) await stopNodes(nodes);
    await db?.drop();
  });

  it('fails commands in flight with 503 or completes them, leaves nothing half-written, and reconnects', async () => {
    // given two nodes and workers that start instances, activate and complete their jobs without pause
    const outcomes: Outcome[] = [];
    const started = new Set<string>();
    const completedJobs = new Map<string, string>();
    const until = Date.now() + LOAD_MS;
    const send = async (node: ServerProcess, what: string, method: string, path: string, json?: unknown) => {
      const r: Reply = await request(node, method, path, json);
      outcomes.push({ what, status: r.status, ...(r.status >= 400 ? { code: r.body?.error?.code } : {}) });
      return r;
    };
    const lane = async (i: number) => {
      let n = 0;
      while (Date.now() < until) {
        const node = nodes[(i + n++) % 2]!;
        const s = await send(node, 'start', 'POST', '/api/processes/cl_job/instances', { variables: { lane: i } });
        if (s.status === 201) {
          started.add(s.body.id);
          await send(nodes[(i + n) % 2]!, 'read', 'GET', `/api/instances/${s.body.id}`);
        }
        const act = await send(node, 'activate', 'POST', '/api/jobs/activate', {
          type: 'cl.work',
          worker: `w${i}`,
          maxJobs: 2,
        });
        for (const j of act.status === 200 ? act.body.jobs : []) {
          const other = nodes[(i + n) % 2]!;
          const done = await send(other, 'complete', 'POST', `/api/jobs/${j.key}/complete`, { variables: { by: i } });
          if (done.status < 300) completedJobs.set(j.key, j.instanceId);
        }
      }
    };
    // when every connection to the database is cut three times during the load
    const cuts: number[] = [];
    const cutter = (async () => {
      const t0 = Date.now();
      for (const at of CUTS_AT) {
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + at - Date.now())));
        cuts.push(await db.terminateBackends());
      }
    })();
    const lanes = await Promise.allSettled(Array.from({ length: LANES }, (_, i) => lane(i)));
    await cutter;

    // then no node went down (every request got an HTTP answer) and connections were really cut
    for (const l of lanes) if (l.status === 'rejected') expect.fail(`a request got no answer: ${l.reason}`);
    expect(lanes.every((l) => l.status === 'fulfilled')).toBe(true);
    expect(cuts.every((n) => n >= 2)).toBe(true);
    // every answer was a success or 503 UNAVAILABLE (a worker may also lose a job whose lock it never saw)
    const failures = outcomes.filter((o) => o.status >= 300);
    const unexpected = failures.filter((o) => !(o.status === 503 && o.code === 'UNAVAILABLE'));
    expect(unexpected, JSON.stringify(unexpected.slice(0, 5))).toEqual([]);
    expect(failures.length, 'the cuts must hit commands in flight').toBeGreaterThan(0);
    const ok = outcomes.filter((o) => o.status < 300).length;
    console.log(
      `connection loss: ${outcomes.length} requests, ${ok} succeeded, ${failures.length} answered 503 UNAVAILABLE; backends cut: ${cuts.join(', ')}`,
    );

    // and nothing half-written: every started instance exists, every completed job's instance completed,
    // and every instance holds exactly what its state says
    await new Promise((r) => setTimeout(r, 500));
    for (const id of started) expect((await call(nodes[0]!, 'GET', `/api/instances/${id}`)).status).toBe(200);
    for (const id of completedJobs.values()) await waitStatus(nodes[1]!, id, 'completed');
    const { completed } = await expectConsistent(db);
    expect(completed).toBeGreaterThanOrEqual(completedJobs.size);

    // when the load is over: both nodes take new work
    for (const node of nodes) {
      const s = await call(node, 'POST', '/api/processes/cl_job/instances', { variables: { after: true } });
      expect(s.status).toBe(201);
    }
    // and a long poll on node B is woken by a job created on node A at once (LISTEN came back)
    const drained = await call(nodes[1]!, 'POST', '/api/jobs/activate', {
      type: 'cl.work',
      worker: 'x',
      maxJobs: 1000,
    });
    expect(drained.status).toBe(200);
    const { latencies, afterMs } = await untilWokenAtOnce(nodes[1]!, nodes[0]!, 8000);
    console.log(
      `long-poll wake-up across nodes after the cuts: ${latencies.join(', ')} ms (${afterMs} ms after the load)`,
    );
    expect(latencies[latencies.length - 1]).toBeLessThan(100);
    await expectConsistent(db);
  });
});
