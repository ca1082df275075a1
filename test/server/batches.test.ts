/**
 * Batch operations over real HTTP (issue 15, item 3): cancel, retry incidents, migrate and modify the
 * instances a filter selects, as a background operation with progress, a result per instance and
 * cancellation, surviving a restart of the server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../engine/src/main.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { errorOf, request, startTestServer, waitFor, type TestServer } from './helpers.js';
import { bpmn, catchPaid, deployXml, flow, history, instance, job, MESSAGE, startOne } from './operate-helpers.js';

/** S → A (job bat.a) → B (message) → C (job bat.c) → E; v2 adds D (job bat.d) after C. */
const model = (extra = '') =>
  bpmn(
    'bat',
    `<bpmn:startEvent id="S" />${job('A', 'bat.a')}${catchPaid('B')}${job('C', 'bat.c')}${extra ? job('D', 'bat.d') : ''}<bpmn:endEvent id="E" />
    ${flow('f1', 'S', 'A')}${flow('f2', 'A', 'B')}${flow('f3', 'B', 'C')}${extra ? `${flow('f4', 'C', 'D')}${flow('f5', 'D', 'E')}` : flow('f4', 'C', 'E')}`,
    MESSAGE,
  );

async function settled(t: TestServer, id: string): Promise<any> {
  return waitFor(
    `batch ${id} to finish`,
    async () => {
      const b = (await t.call('GET', `/api/batch-operations/${id}`)).body;
      return b.state !== 'running' ? b : undefined;
    },
    15_000,
  );
}

async function startMany(t: TestServer, n: number, version = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await startOne(t, 'bat', { orderId: `o-${i}` }, version));
  return ids;
}

describe('batch operations', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployXml(t, model());
    await deployXml(t, model('D'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('cancels every instance a filter selects, each by its own command, recorded with the batch, actor and reason', async () => {
    const ids = await startMany(t, 40);
    const created = await t.call('POST', '/api/batch-operations', {
      json: { type: 'cancel', filter: { processId: 'bat', version: 1 }, reason: 'a bad deploy started them' },
      headers: { 'x-baton-actor': 'dana' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      type: 'cancel',
      total: 40,
      actor: 'dana',
      reason: 'a bad deploy started them',
    });
    const done = await settled(t, created.body.id);
    expect(done).toMatchObject({ state: 'completed', counts: { pending: 0, done: 40, failed: 0, skipped: 0 } });
    for (const id of [ids[0]!, ids[39]!]) {
      expect((await instance(t, id)).status).toBe('cancelled');
      expect(await history(t, id)).toContainEqual(
        expect.objectContaining({ type: 'process-cancelled', batchId: created.body.id, actor: 'dana' }),
      );
    }
    const items = (await t.call('GET', `/api/batch-operations/${created.body.id}/items?limit=5`)).body;
    expect(items).toHaveLength(5);
    expect(items[0]).toMatchObject({ state: 'done', attempts: 1 });
    const audit = (await t.call('GET', `/api/audit?action=batch-create&targetId=${created.body.id}`)).body.items;
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'dana', details: expect.objectContaining({ total: 40 }) }),
    ]);
    // a second cancel of the same instances has nothing to do: every item is skipped
    const again = await t.call('POST', '/api/batch-operations', {
      json: { type: 'cancel', filter: { instanceIds: ids.slice(0, 3), state: 'cancelled' } },
    });
    expect((await settled(t, again.body.id)).counts).toMatchObject({ skipped: 3 });
  });

  it('retries the incidents of one element only', async () => {
    const ids = await startMany(t, 6);
    const failAll = async (type: string, n: number) => {
      const got = await t.call('POST', '/api/jobs/activate', { json: { type, maxJobs: n } });
      expect(got.body.jobs).toHaveLength(n);
      for (const j of got.body.jobs)
        await t.call('POST', `/api/jobs/${j.key}/fail`, { json: { retries: 0, errorMessage: 'down' } });
    };
    // given incidents at A in every instance, and in half of them the token moved on to C, failing there too
    await failAll('bat.a', 6);
    for (const id of ids.slice(3))
      await t.call('POST', `/api/instances/${id}/modification`, {
        json: { move: [{ sourceElementId: 'A', targetElementId: 'C' }] },
      });
    await failAll('bat.c', 3);
    // when the incidents of A are retried
    const created = await t.call('POST', '/api/batch-operations', {
      json: { type: 'retry', filter: { processId: 'bat', elementId: 'A', incidentType: 'JOB_NO_RETRIES' }, retries: 2 },
    });
    // then only the instances at A were selected, their incidents are gone and their jobs are back with 2 retries
    expect(created.body.total).toBe(3);
    expect((await settled(t, created.body.id)).counts).toMatchObject({ done: 3 });
    for (const id of ids.slice(0, 3)) expect((await instance(t, id)).incidents).toEqual([]);
    for (const id of ids.slice(3))
      expect((await instance(t, id)).incidents).toEqual([expect.objectContaining({ elementId: 'C' })]);
    const jobs = await t.call('POST', '/api/jobs/activate', { json: { type: 'bat.a', maxJobs: 20 } });
    expect(jobs.body.jobs.map((j: { retries: number }) => j.retries)).toEqual([2, 2, 2]);
    await t.call('POST', '/api/batch-operations', { json: { type: 'cancel', filter: { instanceIds: ids } } });
  });

  it('migrates and modifies many instances, with a result per instance for those it cannot change', async () => {
    const ids = await startMany(t, 10);
    const migrated = await t.call('POST', '/api/batch-operations', {
      json: { type: 'migrate', filter: { processId: 'bat', version: 1 }, migration: { targetVersion: 2 } },
    });
    expect(migrated.status, migrated.text).toBe(201);
    expect((await settled(t, migrated.body.id)).counts).toMatchObject({ done: 10 });
    expect((await instance(t, ids[0]!)).version).toBe(2);
    // modify: move every token from A to B, except where A is not active any more
    const [first] = ids;
    await t.call('POST', `/api/instances/${first}/modification`, {
      json: { move: [{ sourceElementId: 'A', targetElementId: 'C' }] },
    });
    const moved = await t.call('POST', '/api/batch-operations', {
      json: {
        type: 'modify',
        filter: { instanceIds: ids },
        modification: { move: [{ sourceElementId: 'A', targetElementId: 'B' }] },
      },
    });
    const result = await settled(t, moved.body.id);
    expect(result.counts).toMatchObject({ done: 9, failed: 1 });
    const failed = (await t.call('GET', `/api/batch-operations/${moved.body.id}/items?state=failed`)).body;
    expect(failed).toEqual([
      expect.objectContaining({ instanceId: first, message: expect.stringContaining('INVALID_MODIFICATION') }),
    ]);
    expect((await instance(t, ids[1]!)).activeElements).toEqual(['B']);
    await t.call('POST', '/api/batch-operations', { json: { type: 'cancel', filter: { instanceIds: ids } } });
  });

  it('refuses bad requests and answers 404 and 409', async () => {
    const bad = [
      {},
      { type: 'explode', filter: { processId: 'bat' } },
      { type: 'cancel' },
      { type: 'cancel', filter: {} },
      { type: 'cancel', filter: { processId: 'bat', state: 'gone' } },
      { type: 'migrate', filter: { processId: 'bat' } },
      { type: 'migrate', filter: { instanceIds: ['1'] }, migration: { targetVersion: 2 } },
      { type: 'modify', filter: { processId: 'bat' }, modification: { terminate: [{ elementKey: '2' }] } },
      { type: 'cancel', filter: { instanceIds: Array.from({ length: 1001 }, (_, i) => String(i)) } },
    ];
    for (const body of bad) {
      const answer = await t.call('POST', '/api/batch-operations', { json: body });
      expect(answer.status, JSON.stringify(body).slice(0, 100)).toBe(400);
    }
    expect(
      (
        await t.call('POST', '/api/batch-operations', {
          json: { type: 'migrate', filter: { processId: 'bat' }, migration: { targetVersion: 7 } },
        })
      ).status,
    ).toBe(404);
    expect((await t.call('GET', '/api/batch-operations/nope')).status).toBe(404);
    expect((await t.call('GET', '/api/batch-operations/nope/items')).status).toBe(404);
    expect((await t.call('POST', '/api/batch-operations/nope/cancel', { json: {} })).status).toBe(404);
    const empty = await t.call('POST', '/api/batch-operations', {
      json: { type: 'cancel', filter: { processId: 'nothing-here' } },
    });
    expect(empty.body).toMatchObject({ state: 'completed', total: 0 });
    const late = await t.call('POST', `/api/batch-operations/${empty.body.id}/cancel`, { json: {} });
    expect(late.status).toBe(409);
    expect(errorOf(late).code).toBe('BATCH_NOT_RUNNING');
    const list = (await t.call('GET', '/api/batch-operations?limit=2')).body;
    expect(list.items).toHaveLength(2);
    expect(list.total).toBeGreaterThan(2);
  });
});

describe('batch operations in the background', () => {
  it('is cancelled with its pending items not run, and survives a restart of the server', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'baton-batch-restart-'));
    const dbPath = join(dir, 'baton.db');
    process.env.BATON_BATCH_CHUNK = '5';
    const open = () => startServer({ port: 0, dbPath, logger: createLogger({ level: 'silent' }), staticDir: dir });
    try {
      let server = await open();
      const call = (method: string, path: string, json?: unknown) =>
        request(server.url, method, path, json === undefined ? {} : { json });
      const deployed = await request(server.url, 'POST', '/api/deployments', {
        raw: model(),
        contentType: 'application/xml',
      });
      expect(deployed.status).toBe(201);
      const ids: string[] = [];
      for (let i = 0; i < 300; i++)
        ids.push((await call('POST', '/api/processes/bat/instances', { variables: { orderId: `r-${i}` } })).body.id);
      // a batch cancelled while it runs leaves its pending items alone
      const stopped = (
        await call('POST', '/api/batch-operations', { type: 'cancel', filter: { instanceIds: ids.slice(0, 150) } })
      ).body;
      const cancelled = await call('POST', `/api/batch-operations/${stopped.id}/cancel`, { reason: 'wrong selection' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.state).toBe('cancelled');
      await new Promise((r) => setTimeout(r, 300));
      const after = (await call('GET', `/api/batch-operations/${stopped.id}`)).body;
      expect(after.counts.pending).toBeGreaterThan(0);
      const notRun = (await call('GET', `/api/batch-operations/${stopped.id}/items?state=pending&limit=1`)).body[0];
      expect((await call('GET', `/api/instances/${notRun.instanceId}`)).body.status).toBe('active');
      // a batch under way when the server stops goes on after the restart
      const running = (
        await call('POST', '/api/batch-operations', { type: 'cancel', filter: { instanceIds: ids.slice(150) } })
      ).body;
      await server.close();
      server = await open();
      const done = await waitFor(
        'the batch to finish after the restart',
        async () => {
          const b = (await request(server.url, 'GET', `/api/batch-operations/${running.id}`)).body;
          return b.state === 'completed' ? b : undefined;
        },
        15_000,
      );
      expect(done.counts).toEqual({ pending: 0, done: 150, failed: 0, skipped: 0 });
      await server.close();
    } finally {
      delete process.env.BATON_BATCH_CHUNK;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
