import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, fixture, startTestServer, type TestServer } from './helpers.js';

describe('deployments over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates a deployment (201) and answers a byte-identical redeploy with the same one (200)', async () => {
    // given
    const xml = fixture('server-job.bpmn');
    // when
    const first = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });
    const again = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'text/xml' });
    // then
    expect(first.status).toBe(201);
    expect(first.body.id).toEqual(expect.any(String));
    expect(first.body.processes).toEqual([
      expect.objectContaining({ processId: 'srv_job', version: 1, name: 'Server job test' }),
    ]);
    expect(again.status).toBe(200);
    expect(again.body.processes).toEqual(first.body.processes);
    const processes = await t.call('GET', '/api/processes');
    expect(processes.status).toBe(200);
    expect(processes.body).toHaveLength(1);
    expect(processes.body[0]).toMatchObject({ processId: 'srv_job', version: 1, deployedAt: expect.any(String) });
  });

  it('accepts XML sent as application/octet-stream or without a content type', async () => {
    const octet = await t.call('POST', '/api/deployments', {
      raw: fixture('server-job.bpmn'),
      contentType: 'application/octet-stream',
    });
    const none = await t.call('POST', '/api/deployments', { raw: fixture('server-user-task.bpmn'), contentType: null });
    expect(octet.status).toBe(201);
    expect(none.status).toBe(201);
    expect(none.body.processes[0].processId).toBe('srv_user_task');
  });

  it('serves the deployed XML, latest version by default, 404 for an unknown process or version', async () => {
    const xml = fixture('server-job.bpmn');
    await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });
    const changed = xml.replace('name="Do the work"', 'name="Do the work, v2"');
    const second = await t.call('POST', '/api/deployments', { raw: changed, contentType: 'application/xml' });
    expect(second.status).toBe(201);
    expect(second.body.processes[0].version).toBe(2);

    const latest = await t.call('GET', '/api/processes/srv_job/xml');
    expect(latest.status).toBe(200);
    expect(latest.headers.get('content-type')).toMatch(/xml/);
    expect(latest.text).toBe(changed);
    expect((await t.call('GET', '/api/processes/srv_job/xml?version=1')).text).toBe(xml);

    const noVersion = await t.call('GET', '/api/processes/srv_job/xml?version=7');
    expect(noVersion.status).toBe(404);
    expect(errorOf(noVersion).code).toBe('PROCESS_NOT_FOUND');
    const noProcess = await t.call('GET', '/api/processes/nope/xml');
    expect(noProcess.status).toBe(404);
    expect(errorOf(noProcess).code).toBe('PROCESS_NOT_FOUND');
    const badVersion = await t.call('GET', '/api/processes/srv_job/xml?version=abc');
    expect(badVersion.status).toBe(400);
    expect(errorOf(badVersion)).toMatchObject({ code: 'INVALID_REQUEST', details: [{ field: 'version' }] });
  });

  it('rejects broken XML with 400 INVALID_BPMN and details, storing nothing', async () => {
    // given: the end event is never closed
    const broken = fixture('server-job.bpmn').replace('<bpmn:endEvent id="End" />', '<bpmn:endEvent id="End">');
    // when
    const answer = await t.call('POST', '/api/deployments', { raw: broken, contentType: 'application/xml' });
    // then
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe('INVALID_BPMN');
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.details.length).toBeGreaterThan(0);
    expect(error.details[0]).toMatchObject({ message: expect.any(String) });
    expect(error.details[0]).toHaveProperty('line');
    expect((await t.call('GET', '/api/processes')).body).toEqual([]);
  });

  it('rejects an empty body with 400 INVALID_BPMN', async () => {
    const answer = await t.call('POST', '/api/deployments', { raw: '', contentType: 'application/xml' });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('INVALID_BPMN');
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a document over the body limit', async () => {
    const huge = fixture('server-job.bpmn').replace(
      '<bpmn:startEvent',
      `<!-- ${'x'.repeat(1_100_000)} --><bpmn:startEvent`,
    );
    const answer = await t.call('POST', '/api/deployments', { raw: huge, contentType: 'application/xml' });
    expect(answer.status).toBe(413);
    expect(errorOf(answer).code).toBe('PAYLOAD_TOO_LARGE');
  });
});
