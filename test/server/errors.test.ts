import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, type TestServer } from './helpers.js';

describe('bad input and unknown ids over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.deploy('server-job.bpmn');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a body that is not JSON with 400 INVALID_JSON', async () => {
    for (const [path, raw] of [
      ['/api/processes/srv_job/instances', '{"variables": {"x": '],
      ['/api/messages', 'not json at all'],
    ]) {
      const answer = await t.call('POST', path!, { raw: raw!, contentType: 'application/json' });
      expect(answer.status, path).toBe(400);
      expect(errorOf(answer).code).toBe('INVALID_JSON');
    }
    expect((await t.call('GET', '/api/instances')).body.total).toBe(0);
  });

  it('answers a field of the wrong type with 400 INVALID_REQUEST naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/processes/srv_job/instances', { variables: 'x=1' }, 'variables'],
      ['POST', '/api/processes/srv_job/instances', { businessKey: 42 }, 'businessKey'],
      ['POST', '/api/processes/srv_job/instances', { version: 1.5 }, 'version'],
      ['POST', '/api/jobs/activate', { maxJobs: 1 }, 'type'],
      ['POST', '/api/jobs/activate', { type: 'srv.work', maxJobs: '3' }, 'maxJobs'],
      ['POST', '/api/messages', { name: 'm', variables: [1, 2] }, 'variables'],
      ['POST', '/api/messages', { correlationKey: 'k' }, 'name'],
      ['POST', '/api/jobs/any/fail', { retries: -1 }, 'retries'],
      ['POST', '/api/user-tasks/any/claim', { assignee: true }, 'assignee'],
      ['POST', '/api/instances/any/cancel', { reason: 5 }, 'reason'],
    ];
    for (const [method, path, json, field] of cases) {
      const answer = await t.call(method, path, { json });
      expect(answer.status, `${path} ${field}`).toBe(400);
      const error = errorOf(answer);
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toContain(field);
      expect(error.details).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('rejects a JSON body that is not an object, and bad query parameters', async () => {
    const array = await t.call('POST', '/api/processes/srv_job/instances', { json: [1, 2] });
    expect(array.status).toBe(400);
    expect(errorOf(array).code).toBe('INVALID_REQUEST');
    const status = await t.call('GET', '/api/instances?status=running');
    expect(status.status).toBe(400);
    expect(errorOf(status)).toMatchObject({ code: 'INVALID_REQUEST', details: [{ field: 'status' }] });
    const limit = await t.call('GET', '/api/instances?limit=-3');
    expect(limit.status).toBe(400);
    expect(errorOf(limit).details).toEqual([expect.objectContaining({ field: 'limit' })]);
  });

  it('answers unknown ids with 404 and a specific code', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', '/api/instances/no-such-instance', undefined, 'INSTANCE_NOT_FOUND'],
      ['GET', '/api/instances/no-such-instance/history', undefined, 'INSTANCE_NOT_FOUND'],
      ['POST', '/api/instances/no-such-instance/cancel', {}, 'INSTANCE_NOT_FOUND'],
      ['PATCH', '/api/instances/no-such-instance/variables', { a: 1 }, 'INSTANCE_NOT_FOUND'],
      ['POST', '/api/processes/no_such_process/instances', {}, 'PROCESS_NOT_FOUND'],
      ['POST', '/api/jobs/no-such-job/complete', {}, 'JOB_NOT_FOUND'],
      ['POST', '/api/jobs/no-such-job/fail', { retries: 0 }, 'JOB_NOT_FOUND'],
      ['POST', '/api/user-tasks/no-such-task/complete', {}, 'USER_TASK_NOT_FOUND'],
      ['POST', '/api/user-tasks/no-such-task/claim', { assignee: 'ann' }, 'USER_TASK_NOT_FOUND'],
      ['POST', '/api/incidents/no-such-incident/retry', { retries: 1 }, 'INCIDENT_NOT_FOUND'],
      ['GET', '/api/no/such/route', undefined, 'NOT_FOUND'],
      ['DELETE', '/api/instances', undefined, 'NOT_FOUND'],
    ];
    for (const [method, path, json, code] of cases) {
      const answer = await t.call(method, path, json === undefined ? {} : { json });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(errorOf(answer).code, `${method} ${path}`).toBe(code);
    }
  });

  it('answers a JSON body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const answer = await t.call('POST', '/api/processes/srv_job/instances', {
      json: { variables: { blob: 'y'.repeat(1_200_000) } },
    });
    expect(answer.status).toBe(413);
    expect(errorOf(answer).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await t.call('GET', '/api/instances')).body.total).toBe(0);
  });
});

describe('operational endpoints', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports health', async () => {
    const answer = await t.call('GET', '/api/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok', node: expect.any(String), database: { kind: 'sqlite' } });
  });

  it('exposes Prometheus metrics that count started instances', async () => {
    await t.deploy('server-job.bpmn');
    await t.call('POST', '/api/processes/srv_job/instances', { json: {} });
    await t.call('POST', '/api/processes/srv_job/instances', { json: {} });
    const answer = await t.call('GET', '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answer.text).toMatch(/^baton_instances_started_total{process_id="srv_job"} 2$/m);
    expect(answer.text).toContain('# TYPE baton_command_duration_seconds histogram');
    expect(answer.text).toContain('process_cpu_user_seconds_total');
  });

  it('serves a placeholder page at / until the modeler is built, then the built files', async () => {
    const placeholder = await t.call('GET', '/');
    expect(placeholder.status).toBe(200);
    expect(placeholder.headers.get('content-type')).toMatch(/text\/html/);
    expect(placeholder.text).toContain('Baton — modeler coming soon');
    expect(placeholder.text).toContain('<link rel="icon" href="data:,">');

    mkdirSync(join(t.dir, 'static'), { recursive: true });
    writeFileSync(join(t.dir, 'static', 'index.html'), '<!doctype html><title>built modeler</title>');
    writeFileSync(join(t.dir, 'static', 'app.js'), 'console.log(1)');
    expect((await t.call('GET', '/')).text).toContain('built modeler');
    const asset = await t.call('GET', '/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const missing = await t.call('GET', '/nope.js');
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
  });
});
