/**
 * Camunda's conventions on `/v2` over raw HTTP: long polling that answers as soon as a job is
 * there, `awaitCompletion` with `fetchVariables`, problem+json errors with Camunda's titles, the
 * one tenant, keys of deployed things, and backpressure as `503 RESOURCE_EXHAUSTED`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdKey } from '../../engine/src/server/v2/keys.js';
import { fixture, startTestServer, waitFor, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  const form = new FormData();
  form.append('resources', new Blob([fixture('server-job.bpmn')]), 'server-job.bpmn');
  form.append('tenantId', '<default>');
  const res = await fetch(`${t.url}/v2/deployments`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

const start = (body: Record<string, unknown>) => t.call('POST', '/v2/process-instances', { json: body });

describe('/v2 conventions', () => {
  it('holds an activation until a job is there, then answers at once', async () => {
    // given a worker waiting for up to 30 s
    const waiting = t.call('POST', '/v2/jobs/activation', {
      json: { type: 'srv.work', maxJobsToActivate: 5, timeout: 10_000, requestTimeout: 30_000, worker: 'w1' },
    });
    // when an instance creates a job
    const started = await start({ processDefinitionId: 'srv_job', variables: { n: 1 } });
    expect(started.status).toBe(200);
    // then the waiting activation answers with it
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.jobs).toHaveLength(1);
    expect(answer.body.jobs[0]).toMatchObject({
      type: 'srv.work',
      worker: 'w1',
      processInstanceKey: started.body.processInstanceKey,
      processDefinitionKey: started.body.processDefinitionKey,
      customHeaders: { kind: 'test' },
      variables: { n: 1 },
    });
    const done = await t.call('POST', `/v2/jobs/${answer.body.jobs[0].jobKey}/completion`, { json: {} });
    expect(done.status).toBe(204);
  });

  it('answers an activation with a negative requestTimeout at once', async () => {
    const answer = await t.call('POST', '/v2/jobs/activation', {
      json: { type: 'nothing.here', maxJobsToActivate: 1, timeout: 1000, requestTimeout: -1 },
    });
    expect(answer.body).toEqual({ jobs: [] });
  });

  it('awaits completion and answers the variables asked for', async () => {
    const worker = (async () => {
      for (;;) {
        const a = await t.call('POST', '/v2/jobs/activation', {
          json: { type: 'srv.work', maxJobsToActivate: 1, timeout: 10_000, requestTimeout: 5_000 },
        });
        const job = a.body.jobs[0];
        if (!job) continue;
        await t.call('POST', `/v2/jobs/${job.jobKey}/completion`, { json: { variables: { paid: true, extra: 1 } } });
        return;
      }
    })();
    const answer = await start({
      processDefinitionId: 'srv_job',
      processDefinitionVersion: -1,
      variables: { n: 2 },
      awaitCompletion: true,
      requestTimeout: 20_000,
      fetchVariables: ['paid', 'n'],
    });
    await worker;
    expect(answer.status).toBe(200);
    expect(answer.body.variables).toEqual({ paid: true, n: 2 });
  });

  it('answers errors as problem+json with Camunda titles', async () => {
    const missing = await t.call('GET', '/v2/process-instances/29999');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({
      type: 'about:blank',
      title: 'NOT_FOUND',
      status: 404,
      instance: '/v2/process-instances/29999',
    });
    const bad = await start({ processDefinitionId: 'srv_job', tenantId: 'acme' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ title: 'INVALID_ARGUMENT', status: 400 });
    expect(bad.body.detail).toContain('<default>');
    const route = await t.call('GET', '/v2/no-such-route');
    expect(route.status).toBe(404);
    expect(route.body.title).toBe('NOT_FOUND');
    const json = await t.call('POST', '/v2/process-instances/search', {
      raw: '{nope',
      contentType: 'application/json',
    });
    expect(json.status).toBe(400);
    expect(json.body.title).toBe('INVALID_ARGUMENT');
    const filter = await t.call('POST', '/v2/process-instances/search', { json: { filter: { color: 'red' } } });
    expect(filter.status).toBe(400);
  });

  it('finds definitions by key and serves their XML', async () => {
    const found = await t.call('POST', '/v2/process-definitions/search', {
      json: { filter: { processDefinitionId: 'srv_job', isLatestVersion: true } },
    });
    expect(found.body.items).toHaveLength(1);
    const key = found.body.items[0].processDefinitionKey;
    expect((await t.call('GET', `/v2/process-definitions/${key}`)).body).toMatchObject({
      processDefinitionId: 'srv_job',
      version: 1,
    });
    const xml = await t.call('GET', `/v2/process-definitions/${key}/xml`);
    expect(xml.text).toContain('id="srv_job"');
  });
});

describe('/v2 messages', () => {
  it('keeps a published message for its time to live, once per messageId', async () => {
    const form = new FormData();
    form.append('resources', new Blob([fixture('server-message.bpmn')]), 'server-message.bpmn');
    expect((await fetch(`${t.url}/v2/deployments`, { method: 'POST', body: form })).status).toBe(200);
    // given a message published before anyone waits for it, twice with the same messageId
    const publish = () =>
      t.call('POST', '/v2/messages/publication', {
        json: {
          name: 'srv.paid',
          correlationKey: 'o-77',
          timeToLive: 60_000,
          messageId: 'pay-77',
          variables: { paid: 1 },
        },
      });
    const first = await publish();
    expect(first.status).toBe(200);
    expect(first.body.messageKey).toMatch(/^[0-9]+$/);
    expect((await publish()).status).toBe(200);
    // when two instances start waiting for it
    const a = await start({ processDefinitionId: 'srv_message', variables: { orderId: 'o-77' } });
    const b = await start({ processDefinitionId: 'srv_message', variables: { orderId: 'o-77' } });
    // then the buffered message completes one of them only (the duplicate was dropped)
    const states = await waitFor('one instance to take the message', async () => {
      const found = await t.call('POST', '/v2/process-instances/search', {
        json: { filter: { processInstanceKey: { $in: [a.body.processInstanceKey, b.body.processInstanceKey] } } },
      });
      const s = found.body.items.map((i: { state: string }) => i.state).sort();
      return s.includes('COMPLETED') && s;
    });
    expect(states).toEqual(['ACTIVE', 'COMPLETED']);
    // and correlating a message nobody waits for is 404
    const none = await t.call('POST', '/v2/messages/correlation', {
      json: { name: 'srv.paid', correlationKey: 'nobody' },
    });
    expect(none.status).toBe(404);
  });
});

describe('/v2 backpressure', () => {
  it('refuses requests over the limit with 503 RESOURCE_EXHAUSTED', async () => {
    process.env.BATON_V2_MAX_IN_FLIGHT = '1';
    const small = await startTestServer();
    delete process.env.BATON_V2_MAX_IN_FLIGHT;
    try {
      const form = new FormData();
      form.append('resources', new Blob([fixture('server-job.bpmn')]), 'server-job.bpmn');
      expect((await fetch(`${small.url}/v2/deployments`, { method: 'POST', body: form })).status).toBe(200);
      // given one request in flight (waiting for its instance to complete)
      const holding = small.call('POST', '/v2/process-instances', {
        json: { processDefinitionId: 'srv_job', awaitCompletion: true, requestTimeout: 30_000 },
      });
      // when another arrives, it is refused
      let refused;
      for (;;) {
        refused = await small.call('GET', '/v2/topology');
        if (refused.status === 503) break;
      }
      expect(refused.body).toMatchObject({ title: 'RESOURCE_EXHAUSTED', status: 503 });
      expect(refused.headers.get('retry-after')).toBe('1');
      // and once the held request is answered, requests are taken again
      const job = await small.call('POST', '/v2/jobs/activation', {
        json: { type: 'srv.work', maxJobsToActivate: 1, timeout: 10_000, requestTimeout: 10_000 },
      });
      // (completed through /api: /v2 takes nothing more while the limit is reached)
      const key = decodeIdKey(job.body.jobs[0].jobKey, 'Job');
      const done = await small.call('POST', `/api/jobs/${encodeURIComponent(key)}/complete`, { json: {} });
      expect(done.status).toBe(200);
      expect((await holding).status).toBe(200);
      expect((await small.call('GET', '/v2/topology')).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
