/**
 * In-process jobs across nodes on PostgreSQL: a job a node's handler is running stays with that node
 * while it lives (its lease is renewed), and comes back to another node when that node dies (the
 * lease runs out). Two real `baton serve` nodes with a 1 s lease.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, deploy, ServerProcess } from '../torture/server-process.js';
import { CLUSTER_XML, historyCount, waitStatus } from './cluster.js';
import { createTestDatabase, describePg, type TestDatabase } from './pg.js';

const HANDLERS = fileURLToPath(new URL('../fixtures/storage/lease-handlers.mjs', import.meta.url));
const LEASE_MS = 1000;

describePg('in-process job leases across nodes', () => {
  let db: TestDatabase;
  let hanging: ServerProcess;
  let healthy: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { BATON_JOB_LEASE_MS: String(LEASE_MS) };
    hanging = new ServerProcess({ dbPath: db.url, handlers: HANDLERS, env: { ...env, LEASE_HANG: '1' } });
    healthy = new ServerProcess({ dbPath: db.url, handlers: HANDLERS, env });
    await Promise.all([hanging.start(), healthy.start()]);
    expect((await deploy(healthy, CLUSTER_XML)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([hanging?.kill(), healthy?.stop()]);
    await db?.drop();
  });

  it('keeps a job with the live node that runs it, and hands it to another node when that one dies', async () => {
    // given an instance started on the node whose handler never finishes: the job is locked to it
    const started = await call(hanging, 'POST', '/api/processes/cl_lease/instances', {});
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const holder = async () =>
      (await db.query<{ worker: string | null }>('SELECT worker FROM jobs WHERE instance_id = $1', [id]))[0]?.worker;
    const lockedBy = await holder();
    expect(lockedBy).toMatch(new RegExp(`:${hanging.pid}:`));
    // when more than two leases pass while it lives
    await new Promise((r) => setTimeout(r, LEASE_MS * 2.5));
    // then the job is still its own (the lease was renewed), the other node did not take it
    expect(await holder()).toBe(lockedBy);
    expect((await call(healthy, 'GET', `/api/instances/${id}`)).body.activeElements).toEqual(['InProcess']);
    // when that node is killed
    const killedAt = Date.now();
    const deadPid = hanging.pid;
    await hanging.kill();
    // then the other node takes the job once its lease ran out, and the instance completes there
    const done = await waitStatus(healthy, id, 'completed', 10_000);
    const tookMs = Date.now() - killedAt;
    console.log(`a dead node's in-process job was taken over after ${tookMs} ms (lease ${LEASE_MS} ms)`);
    expect(done.variables.doneBy).toBe(healthy.pid);
    expect(done.variables.doneBy).not.toBe(deadPid);
    expect(tookMs).toBeLessThan(LEASE_MS + 3000);
    expect(await historyCount(db, id, 'element-completed', 'InProcess')).toBe(1);
  });
});
