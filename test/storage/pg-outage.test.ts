/**
 * PostgreSQL away for a while: two `baton serve` nodes reach their database through a TCP proxy
 * that the test takes down for two seconds (every connection cut, new ones refused). While it is
 * down every request is answered at once with `503 UNAVAILABLE` and the nodes stay up; when it is
 * back they work again without a restart, and hear each other again (LISTEN reconnects).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, deploy, request, ServerProcess } from '../torture/server-process.js';
import { CLUSTER_XML, untilWokenAtOnce } from './cluster.js';
import { createTestDatabase, describePg, type TestDatabase } from './pg.js';
import { TcpProxy } from './tcp-proxy.js';

const OUTAGE_MS = 2000;

describePg('PostgreSQL unreachable for a while', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let node: ServerProcess;
  let other: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.up();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    node = new ServerProcess({ dbPath: viaProxy.toString() });
    other = new ServerProcess({ dbPath: viaProxy.toString() });
    await Promise.all([node.start(), other.start()]);
    expect((await deploy(node, CLUSTER_XML)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([node?.stop(), other?.stop()]);
    await proxy?.down();
    await db?.drop();
  });

  it('answers 503 UNAVAILABLE at once while the database is away, and works again when it is back', async () => {
    // given a node that works
    const before = await call(node, 'POST', '/api/processes/cl_job/instances', {});
    expect(before.status).toBe(201);
    // when the database goes away for two seconds
    await proxy.down();
    const answers: { status: number; code?: string; ms: number }[] = [];
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      for (const [method, path, json] of [
        ['POST', '/api/processes/cl_job/instances', {}],
        ['GET', `/api/instances/${before.body.id}`, undefined],
        ['POST', '/api/jobs/activate', { type: 'cl.work', worker: 'w', maxJobs: 1 }],
      ] as const) {
        const sent = Date.now();
        const r = await request(node, method, path, json);
        answers.push({ status: r.status, code: r.body?.error?.code, ms: Date.now() - sent });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // then every request was answered 503 UNAVAILABLE, quickly
    expect(answers.length).toBeGreaterThan(6);
    expect(
      answers.filter((a) => a.status !== 503 || a.code !== 'UNAVAILABLE'),
      JSON.stringify(answers),
    ).toEqual([]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2000);
    // when it is back
    await proxy.up();
    const backAt = Date.now();
    // then the node works again: a start, a read, a job activated and completed
    let started;
    for (;;) {
      started = await request(node, 'POST', '/api/processes/cl_job/instances', {});
      if (started.status === 201 || Date.now() - backAt > 10_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(started.status).toBe(201);
    console.log(`database back: first command answered after ${Date.now() - backAt} ms`);
    expect((await call(node, 'GET', `/api/instances/${started.body.id}`)).body.activeElements).toEqual(['Work']);
    const jobs = await call(node, 'POST', '/api/jobs/activate', { type: 'cl.work', worker: 'w', maxJobs: 10 });
    expect(jobs.body.jobs.length).toBeGreaterThanOrEqual(2);
    for (const j of jobs.body.jobs)
      expect((await call(node, 'POST', `/api/jobs/${j.key}/complete`, {})).status).toBeLessThan(300);
    // and the nodes hear each other again: soon a job created on one wakes a long poll on the other at once
    const { latencies, afterMs } = await untilWokenAtOnce(other, node, 8000);
    console.log(
      `wake-ups across nodes after the database came back: ${latencies.join(', ')} ms (LISTEN back within ${afterMs} ms)`,
    );
    expect(latencies[latencies.length - 1]).toBeLessThan(100);
  });
});
