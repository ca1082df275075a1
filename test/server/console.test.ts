/**
 * The console read models under `/api/console` (engine/src/server/routes/console.ts and
 * engine/src/storage/sqlite/console-queries.ts), over real HTTP against a real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, fixture, startTestServer, waitFor, type TestServer } from './helpers.js';

/**
 * Given srv_job v1 with one completed instance, one stuck on an incident and one waiting for its job,
 * and srv_job v2 with one waiting instance.
 */
describe('console read models', () => {
  let t: TestServer;
  const ids: string[] = [];

  const start = async (businessKey: string) => {
    const answer = await t.call('POST', '/api/processes/srv_job/instances', { json: { businessKey } });
    expect(answer.status).toBe(201);
    ids.push(answer.body.id);
    return answer.body.id as string;
  };
  const nextJob = async (instanceId: string) => {
    const job = await waitFor('a srv.work job', async () => {
      const answer = await t.call('POST', '/api/jobs/activate', {
        json: { type: 'srv.work', worker: 'w', maxJobs: 1, lockMs: 10_000 },
      });
      return answer.body.jobs[0];
    });
    expect(job.instanceId).toBe(instanceId);
    return job.key as string;
  };

  beforeAll(async () => {
    t = await startTestServer();
    await t.deploy('server-job.bpmn');
    const done = await start('done');
    expect((await t.call('POST', `/api/jobs/${await nextJob(done)}/complete`, { json: {} })).status).toBe(200);
    const failed = await start('failed');
    expect(
      (
        await t.call('POST', `/api/jobs/${await nextJob(failed)}/fail`, {
          json: { retries: 0, errorMessage: 'boom: disk full' },
        })
      ).status,
    ).toBe(200);
    await start('waiting');
    const v2 = fixture('server-job.bpmn').replace('name="Server job test"', 'name="Server job test, v2"');
    expect((await t.call('POST', '/api/deployments', { raw: v2, contentType: 'application/xml' })).status).toBe(201);
    await start('waiting-v2');
    await waitFor('the completion and the incident', async () => {
      const list = (await t.call('GET', '/api/console/instances?processId=srv_job')).body;
      return (
        list.items.some((i: { status: string }) => i.status === 'completed') &&
        list.items.some((i: { openIncidents: number }) => i.openIncidents === 1)
      );
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts instances per definition version and status', async () => {
    // when
    const answer = await t.call('GET', '/api/console/definitions');
    // then
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      expect.objectContaining({
        processId: 'srv_job',
        version: 2,
        name: 'Server job test, v2',
        total: 1,
        openIncidents: 0,
        counts: { active: 1, suspended: 0, completed: 0, cancelled: 0 },
      }),
      expect.objectContaining({
        processId: 'srv_job',
        version: 1,
        name: 'Server job test',
        total: 3,
        openIncidents: 1,
        counts: { active: 2, suspended: 0, completed: 1, cancelled: 0 },
      }),
    ]);
  });

  it('filters instances by version and open incidents, newest first, with paging', async () => {
    const v1 = (await t.call('GET', '/api/console/instances?processId=srv_job&version=1')).body;
    expect(v1.total).toBe(3);
    expect(v1.items.map((i: { businessKey: string }) => i.businessKey)).toEqual(['waiting', 'failed', 'done']);
    const withIncidents = (await t.call('GET', '/api/console/instances?withIncidents=true')).body;
    expect(withIncidents).toMatchObject({
      total: 1,
      items: [{ id: ids[1], businessKey: 'failed', status: 'active', openIncidents: 1 }],
    });
    const page = (await t.call('GET', '/api/console/instances?processId=srv_job&limit=2&offset=2')).body;
    expect(page.total).toBe(4);
    expect(page.items.map((i: { businessKey: string }) => i.businessKey)).toEqual(['failed', 'done']);
    const byKey = (await t.call('GET', '/api/console/instances?businessKey=done&status=completed')).body;
    expect(byKey).toMatchObject({ total: 1, items: [{ id: ids[0], endedAt: expect.any(String) }] });
  });

  it('builds the heatmap of one version: passed, waiting now, failed, flows taken', async () => {
    // when
    const answer = await t.call('GET', '/api/console/heatmap/srv_job/1');
    // then
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      processId: 'srv_job',
      version: 1,
      instances: 3,
      elements: {
        Start: { passed: 3, waiting: 0, failed: 0, openIncidents: 0 },
        Work: { passed: 1, waiting: 2, failed: 1, openIncidents: 1 },
        End: { passed: 1, waiting: 0, failed: 0, openIncidents: 0 },
      },
      flows: { Flow_1: 3, Flow_2: 1 },
    });
    expect((await t.call('GET', '/api/console/heatmap/srv_job/2')).body.elements.Work).toEqual({
      passed: 0,
      waiting: 1,
      failed: 0,
      openIncidents: 0,
    });
  });

  it('shows the dashboard: in flight, completed in the last hour, stalled, incidents, failing elements', async () => {
    // given: a suspended instance is in flight but not stalled
    expect((await t.call('POST', `/api/instances/${ids[3]}/suspend`, { json: { reason: 'test' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 30));
    // when
    const fresh = (await t.call('GET', '/api/console/dashboard')).body;
    const strict = (await t.call('GET', '/api/console/dashboard?stalledMs=10')).body;
    // then
    expect(fresh).toMatchObject({
      inFlight: 3,
      suspended: 1,
      completedLastHour: 1,
      stalled: { thresholdMs: 300_000, total: 0, items: [] },
    });
    expect(strict.stalled.thresholdMs).toBe(10);
    expect(strict.stalled.items.map((s: { id: string }) => s.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect(strict.stalled.items[0]).toMatchObject({
      processId: 'srv_job',
      version: 1,
      activeElements: ['Work'],
      lastActivityAt: expect.any(String),
    });
    expect(fresh.incidents).toEqual([
      expect.objectContaining({
        instanceId: ids[1],
        processId: 'srv_job',
        version: 1,
        businessKey: 'failed',
        elementId: 'Work',
        elementName: 'Do the work',
        type: expect.any(String),
        message: 'boom: disk full',
      }),
    ]);
    expect(fresh.failingElements).toEqual([
      {
        processId: 'srv_job',
        elementId: 'Work',
        elementName: 'Do the work',
        incidents: 1,
        jobFailures: 1,
        openIncidents: 1,
      },
    ]);
  });

  it('rejects bad parameters and unknown versions in the contract error shape', async () => {
    const badVersion = await t.call('GET', '/api/console/instances?version=first');
    expect(badVersion.status).toBe(400);
    expect(errorOf(badVersion).code).toBe('INVALID_REQUEST');
    expect((await t.call('GET', '/api/console/instances?withIncidents=maybe')).status).toBe(400);
    expect((await t.call('GET', '/api/console/instances?status=lost')).status).toBe(400);
    expect((await t.call('GET', '/api/console/heatmap/srv_job/0')).status).toBe(400);
    const unknown = await t.call('GET', '/api/console/heatmap/srv_job/9');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('PROCESS_NOT_FOUND');
    expect((await t.call('GET', '/api/console/nothing')).status).toBe(404);
  });
});
