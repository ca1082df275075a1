/**
 * Authorization by the route that handles the request (issue 9, hole 1): a viewer token cannot change
 * anything through any spelling of any path — case, trailing and double slashes, percent-encodings,
 * HEAD, OPTIONS, other methods, method-override headers — and nothing answers without a token.
 * Everything over real HTTP (node:http, so paths reach the server exactly as written).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, waitFor } from './helpers.js';
import { startAuthServer, type AuthServer } from './tokens.js';

const BPMN_NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
/** A process a viewer tries to deploy: it must never be stored. */
const VIEWER_MADE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN_NS} id="Defs_viewer_made" targetNamespace="http://baton.test">
  <bpmn:process id="viewer_made" isExecutable="true"><bpmn:startEvent id="Start" /></bpmn:process>
</bpmn:definitions>`;

const XML = { 'content-type': 'application/xml' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('a viewer token through every spelling of a path', () => {
  let t: AuthServer;
  /** Ids the attempts aim at: an instance waiting for a message, a job, a user task. */
  const target = { instance: '', userTask: '' };

  beforeAll(async () => {
    t = await startAuthServer();
    for (const name of ['server-job.bpmn', 'server-message.bpmn', 'server-user-task.bpmn']) {
      const deployed = await t.as('modeler', 'POST', '/api/deployments', { body: fixture(name), headers: XML });
      expect(deployed.status, deployed.text).toBe(201);
    }
    const start = (processId: string, variables: object) =>
      t.as('operator', 'POST', `/api/processes/${processId}/instances`, {
        body: JSON.stringify({ variables }),
        headers: JSON_TYPE,
      });
    target.instance = (await start('srv_message', { orderId: 'A-1' })).body.id;
    expect((await start('srv_job', {})).status).toBe(201);
    const taskInstance = (await start('srv_user_task', {})).body.id;
    const tasks = await waitFor('the user task', async () => {
      const list = await t.as('viewer', 'GET', `/api/user-tasks?instanceId=${taskInstance}`);
      return list.body.length > 0 ? list.body : undefined;
    });
    target.userTask = tasks[0].id;
  });
  afterAll(async () => {
    await t.close();
  });

  /** [method, path, body, headers, expected status]; `{i}` and `{t}` stand for the instance and the user task. */
  const ATTEMPTS: [string, string, string, Record<string, string>, number][] = [
    // deploy: routes match whatever the case and a trailing slash; anything else matches no route
    ['POST', '/api/Deployments', VIEWER_MADE, XML, 403],
    ['POST', '/api/deployments/', VIEWER_MADE, XML, 403],
    ['POST', '/API/DEPLOYMENTS', VIEWER_MADE, XML, 403],
    ['POST', '/api/deployments?x=1', VIEWER_MADE, XML, 403],
    ['POST', '//api/deployments', VIEWER_MADE, XML, 404],
    ['POST', '/api//deployments', VIEWER_MADE, XML, 404],
    ['POST', '/api/deployments//', VIEWER_MADE, XML, 404],
    ['POST', '/api/./deployments', VIEWER_MADE, XML, 404],
    ['POST', '/api/x/../deployments', VIEWER_MADE, XML, 404],
    ['POST', '/api/%64eployments', VIEWER_MADE, XML, 404],
    ['POST', '/api/deployments%2F', VIEWER_MADE, XML, 404],
    ['POST', '/api/deployments;x', VIEWER_MADE, XML, 404],
    ['POST', '/api/deployments%00', VIEWER_MADE, XML, 404],
    ['PUT', '/api/deployments', VIEWER_MADE, XML, 404],
    // method overrides are not honoured: a GET stays a GET, a POST stays a POST
    ['GET', '/api/deployments', VIEWER_MADE, { ...XML, 'x-http-method-override': 'POST' }, 404],
    ['POST', '/api/deployments', VIEWER_MADE, { ...XML, 'x-http-method-override': 'GET' }, 403],
    ['POST', '/api/deployments?_method=GET', VIEWER_MADE, { ...XML, 'x-method-override': 'GET' }, 403],
    // start, operate, edit variables
    ['POST', '/api/Processes/srv_message/instances', '{"variables":{"orderId":"V"}}', JSON_TYPE, 403],
    ['POST', '/api/processes/srv_message/Instances/', '{}', JSON_TYPE, 403],
    ['POST', '/api/instances/{i}/Cancel', '{}', JSON_TYPE, 403],
    ['POST', '/api/instances/{i}/cancel/', '{}', JSON_TYPE, 403],
    ['POST', '/api/INSTANCES/{i}/SUSPEND', '{}', JSON_TYPE, 403],
    ['PATCH', '/api/instances/{i}/Variables', '{"orderId":"hacked"}', JSON_TYPE, 403],
    ['PATCH', '/api/instances/{i}/variables/', '{"orderId":"hacked"}', JSON_TYPE, 403],
    ['PUT', '/api/instances/{i}/variables', '{"orderId":"hacked"}', JSON_TYPE, 404],
    ['DELETE', '/api/instances/{i}', '', {}, 404],
    ['POST', '/api/instances/{i}%2Fcancel', '{}', JSON_TYPE, 404],
    // outside input
    ['POST', '/api/Messages', '{"name":"srv.paid","correlationKey":"A-1"}', JSON_TYPE, 403],
    ['POST', '/api/messages/', '{"name":"srv.paid","correlationKey":"A-1"}', JSON_TYPE, 403],
    ['POST', '/api/signals/', '{"name":"s"}', JSON_TYPE, 403],
    ['POST', '/api/Conditions/evaluate', '{}', JSON_TYPE, 403],
    ['POST', '/api/user-tasks/{t}/Claim', '{"assignee":"vic"}', JSON_TYPE, 403],
    ['POST', '/api/User-Tasks/{t}/complete/', '{}', JSON_TYPE, 403],
    ['POST', '/api/incidents/x/Retry', '{}', JSON_TYPE, 403],
    // jobs
    ['POST', '/api/Jobs/activate', '{"type":"srv.work","maxJobs":5}', JSON_TYPE, 403],
    ['POST', '/api/jobs/Activate/', '{"type":"srv.work","maxJobs":5}', JSON_TYPE, 403],
    ['POST', '/api/jobs/1/Complete', '{}', JSON_TYPE, 403],
    // HEAD and OPTIONS: a HEAD only reaches GET routes; OPTIONS reaches none and lists no methods
    ['HEAD', '/api/deployments', '', {}, 404],
    ['HEAD', '/api/jobs/activate', '', {}, 404],
    ['OPTIONS', '/api/deployments', '', {}, 404],
    ['OPTIONS', '/api/instances', '', {}, 404],
  ];

  it.each(ATTEMPTS)('%s %s is refused', async (method, path, body, headers, expected) => {
    // when a viewer tries it
    const url = path.replace('{i}', target.instance).replace('{t}', target.userTask);
    const answer = await t.as('viewer', method, url, { body: body || undefined, headers });
    // then it is refused (403 when a route matched, 404 when none did), with no Allow list
    expect(answer.status, answer.text).toBe(expected);
    expect(answer.headers.get('allow')).toBeNull();
    if (method !== 'HEAD') expect(answer.body?.error?.code).toBe(expected === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
  });

  it.each(ATTEMPTS)('%s %s without a token answers 401', async (method, path, body, headers) => {
    const url = path.replace('{i}', target.instance).replace('{t}', target.userTask);
    const answer = await t.as(null, method, url, { body: body || undefined, headers });
    expect(answer.status, answer.text).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('leaves everything as it was after all those attempts', async () => {
    // then no deployment, no start, no cancel, no variable edit, no correlation, no claim, no job locked
    const processes = (await t.as('viewer', 'GET', '/api/processes')).body as { processId: string }[];
    expect(processes.map((p) => p.processId).sort()).toEqual(['srv_job', 'srv_message', 'srv_user_task']);
    expect((await t.as('viewer', 'GET', '/api/instances')).body.total).toBe(3);
    const instance = (await t.as('viewer', 'GET', `/api/instances/${target.instance}`)).body;
    expect(instance).toMatchObject({ status: 'active', variables: { orderId: 'A-1' }, activeElements: ['Wait_Paid'] });
    const task = (await t.as('viewer', 'GET', '/api/user-tasks')).body.find((x: any) => x.id === target.userTask);
    expect(task).toMatchObject({ assignee: null });
    const jobs = await t.as('worker', 'POST', '/api/jobs/activate', {
      body: '{"type":"srv.work","maxJobs":5}',
      headers: JSON_TYPE,
    });
    expect(jobs.body.jobs).toHaveLength(1);
  });

  it('answers HEAD like GET, with the GET route role', async () => {
    expect((await t.as('viewer', 'HEAD', '/api/Instances/')).status).toBe(200);
    expect((await t.as('worker', 'HEAD', '/api/instances')).status).toBe(403);
    expect((await t.as(null, 'HEAD', '/api/instances')).status).toBe(401);
  });

  it('guards /metrics in every spelling', async () => {
    for (const path of ['/metrics', '/Metrics', '/metrics/', '/METRICS?x=1']) {
      expect((await t.as('viewer', 'GET', path)).status, path).toBe(200);
      expect((await t.as('worker', 'GET', path)).status, path).toBe(403);
      expect((await t.as(null, 'GET', path)).status, path).toBe(401);
    }
    expect((await t.as('viewer', 'POST', '/metrics', { body: '{}', headers: JSON_TYPE })).status).toBe(404);
    expect((await t.as('viewer', 'GET', '/metrics/x')).status).toBe(404);
  });

  it('keeps /api/health open in every spelling and the web app public', async () => {
    for (const path of ['/api/health', '/API/Health/', '/api/health?x=1'])
      expect((await t.as(null, 'GET', path)).status, path).toBe(200);
    expect((await t.as(null, 'POST', '/api/health', { body: '{}', headers: JSON_TYPE })).status).toBe(401);
    expect((await t.as(null, 'GET', '/')).status).toBe(200);
  });
});
