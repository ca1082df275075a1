import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, waitFor, type TestServer } from './helpers.js';

/** Activates one `srv.work` job, waiting until one is handed out. */
async function activateWork(t: TestServer, worker = 'test-worker') {
  return waitFor('a srv.work job', async () => {
    const answer = await t.call('POST', '/api/jobs/activate', {
      json: { type: 'srv.work', worker, maxJobs: 1, lockMs: 10_000 },
    });
    expect(answer.status).toBe(200);
    return answer.body.jobs[0];
  });
}

describe('process instances over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
    await t.deploy('server-job.bpmn');
  });
  afterEach(async () => {
    await t.close();
  });

  it('starts an instance, hands its job to a worker, completes it and records the history', async () => {
    // given
    const started = await t.call('POST', '/api/processes/srv_job/instances', {
      json: { variables: { orderId: 'o-1', amount: 5 }, businessKey: 'bk-1' },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      processId: 'srv_job',
      version: 1,
      businessKey: 'bk-1',
      status: 'active',
      variables: { orderId: 'o-1', amount: 5 },
    });
    const id: string = started.body.id;
    // when
    const job = await activateWork(t);
    expect(job).toMatchObject({
      type: 'srv.work',
      instanceId: id,
      elementId: 'Work',
      retries: 2,
      customHeaders: { kind: 'test' },
    });
    expect(job.variables).toMatchObject({ orderId: 'o-1', amount: 5 });
    expect((await t.call('GET', `/api/instances/${id}`)).body.activeElements).toEqual(['Work']);
    const done = await t.call('POST', `/api/jobs/${encodeURIComponent(job.key)}/complete`, {
      json: { variables: { shipped: true } },
    });
    expect(done.status).toBe(200);
    // then
    const instance = await waitFor('completion', async () => {
      const answer = await t.call('GET', `/api/instances/${id}`);
      return answer.body.status === 'completed' && answer.body;
    });
    expect(instance).toMatchObject({
      status: 'completed',
      activeElements: [],
      incidents: [],
      variables: { shipped: true, amount: 5 },
    });
    expect(instance.endedAt).toEqual(expect.any(String));
    const history = (await t.call('GET', `/api/instances/${id}/history`)).body as {
      seq: number;
      type: string;
      elementId?: string;
      elementType?: string;
    }[];
    const seqs = history.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const completed = history.filter((e) => e.type === 'element-completed').map((e) => e.elementId);
    expect(completed).toEqual(['Start', 'Work', 'End']);
    expect(history[0]!.type).toBe('process-started');
    expect(history.at(-1)!.type).toBe('process-completed');
    expect(history.find((e) => e.elementId === 'Work')!.elementType).toBe('bpmn:ServiceTask');
    // the job is gone now
    const again = await t.call('POST', `/api/jobs/${encodeURIComponent(job.key)}/complete`, { json: {} });
    expect(again.status).toBe(404);
    expect(errorOf(again).code).toBe('JOB_NOT_FOUND');
  });

  it('lists instances with filters and paging', async () => {
    for (const bk of ['a', 'b', 'c'])
      await t.call('POST', '/api/processes/srv_job/instances', { json: { businessKey: bk } });
    const all = await t.call('GET', '/api/instances?processId=srv_job');
    expect(all.body.total).toBe(3);
    const one = await t.call('GET', '/api/instances?businessKey=b');
    expect(one.body).toMatchObject({ total: 1, items: [{ businessKey: 'b', status: 'active' }] });
    const page = await t.call('GET', '/api/instances?limit=2&offset=2');
    expect(page.body.total).toBe(3);
    expect(page.body.items).toHaveLength(1);
    expect((await t.call('GET', '/api/instances?status=completed')).body.total).toBe(0);
  });

  it('returns the first answer again for a retried start with the same Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': 'start-42' };
    const first = await t.call('POST', '/api/processes/srv_job/instances', { json: { variables: { n: 1 } }, headers });
    const retried = await t.call('POST', '/api/processes/srv_job/instances', {
      json: { variables: { n: 1 } },
      headers,
    });
    const [c1, c2] = await Promise.all(
      [1, 2].map(() =>
        t.call('POST', '/api/processes/srv_job/instances', {
          json: {},
          headers: { 'Idempotency-Key': 'concurrent' },
        }),
      ),
    );
    const other = await t.call('POST', '/api/processes/srv_job/instances', {
      json: {},
      headers: { 'Idempotency-Key': 'start-43' },
    });
    expect(first.status).toBe(201);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(first.body);
    expect(c1!.body.id).toBe(c2!.body.id);
    expect(other.body.id).not.toBe(first.body.id);
    expect((await t.call('GET', '/api/instances')).body.total).toBe(3);
  });

  it('cancels an instance and writes the reason and actor to the history', async () => {
    const { body: started } = await t.call('POST', '/api/processes/srv_job/instances', { json: {} });
    await activateWork(t);
    const cancelled = await t.call('POST', `/api/instances/${started.id}/cancel`, {
      json: { reason: 'customer withdrew' },
      headers: { 'X-Baton-Actor': 'alice' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: started.id, status: 'cancelled', activeElements: [] });
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).body as Record<string, unknown>[];
    expect(history).toContainEqual(expect.objectContaining({ type: 'process-cancelled' }));
    expect(history).toContainEqual(expect.objectContaining({ reason: 'customer withdrew', actor: 'alice' }));
    expect(history).toContainEqual(expect.objectContaining({ type: 'element-terminated', elementId: 'Work' }));
  });

  it('suspends an instance (its job is not handed out) and resumes it, with reasons in the history', async () => {
    const { body: started } = await t.call('POST', '/api/processes/srv_job/instances', { json: {} });
    await waitFor('Work active', async () =>
      (await t.call('GET', `/api/instances/${started.id}`)).body.activeElements.includes('Work'),
    );

    const suspended = await t.call('POST', `/api/instances/${started.id}/suspend`, { json: { reason: 'audit hold' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    const none = await t.call('POST', '/api/jobs/activate', { json: { type: 'srv.work', maxJobs: 5 } });
    expect(none.body.jobs).toEqual([]);

    const resumed = await t.call('POST', `/api/instances/${started.id}/resume`, { json: { reason: 'audit done' } });
    expect(resumed.body.status).toBe('active');
    const job = await activateWork(t);
    expect(job.instanceId).toBe(started.id);
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).body as Record<string, unknown>[];
    expect(history).toContainEqual(expect.objectContaining({ reason: 'audit hold' }));
    expect(history).toContainEqual(expect.objectContaining({ reason: 'audit done' }));
  });

  it('merges variables into the root scope with PATCH', async () => {
    const { body: started } = await t.call('POST', '/api/processes/srv_job/instances', {
      json: { variables: { a: 1, b: 2 } },
    });
    const patched = await t.call('PATCH', `/api/instances/${started.id}/variables?reason=fix%20b`, {
      json: { b: 3, c: { d: true } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.variables).toEqual({ a: 1, b: 3, c: { d: true } });
    expect((await t.call('GET', `/api/instances/${started.id}`)).body.variables).toEqual({
      a: 1,
      b: 3,
      c: { d: true },
    });
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).body as Record<string, unknown>[];
    expect(history).toContainEqual(expect.objectContaining({ reason: 'fix b' }));
  });
});
