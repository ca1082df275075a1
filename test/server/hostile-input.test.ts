/**
 * Hostile and bad input (issue 5, item 3): DTDs and entity bombs are refused fast and store nothing,
 * bodies over the limit get 413, malformed JSON 400, wrong field types 400 naming the field, and a
 * FEEL expression that goes wrong at run time becomes an incident, never a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, fixture, startTestServer, waitFor, type TestServer } from './helpers.js';

const BPMN_NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const XXE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE definitions [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<bpmn:definitions ${BPMN_NS} id="Defs_xxe" targetNamespace="http://baton.test">
  <bpmn:process id="xxe" name="&xxe;" isExecutable="true"><bpmn:startEvent id="Start" /></bpmn:process>
</bpmn:definitions>`;

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n ')}
]>
<bpmn:definitions ${BPMN_NS} id="Defs_lol" targetNamespace="http://baton.test">
  <bpmn:process id="lolz" name="&lol9;" isExecutable="true"><bpmn:startEvent id="Start" /></bpmn:process>
</bpmn:definitions>`;

/** An exclusive gateway whose conditions go wrong at run time: a missing path and a number instead of a boolean. */
const FEEL_GATEWAY = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN_NS} id="Defs_feel" targetNamespace="http://baton.test">
  <bpmn:process id="feel_gateway" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Decide" />
    <bpmn:exclusiveGateway id="Decide" />
    <bpmn:sequenceFlow id="F1" sourceRef="Decide" targetRef="EndA"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=a.b.c &gt; "x"</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F2" sourceRef="Decide" targetRef="EndB"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=count(5)</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="EndA" />
    <bpmn:endEvent id="EndB" />
  </bpmn:process>
  <bpmn:process id="feel_job_type" isExecutable="true">
    <bpmn:startEvent id="Start2" />
    <bpmn:sequenceFlow id="G0" sourceRef="Start2" targetRef="Work" />
    <bpmn:serviceTask id="Work"><bpmn:extensionElements><zeebe:taskDefinition type="=kind.name" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="G1" sourceRef="Work" targetRef="End2" />
    <bpmn:endEvent id="End2" />
  </bpmn:process>
  <bpmn:process id="feel_timer" isExecutable="true">
    <bpmn:startEvent id="Start3" />
    <bpmn:sequenceFlow id="H0" sourceRef="Start3" targetRef="Wait" />
    <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="H1" sourceRef="Wait" targetRef="End3" />
    <bpmn:endEvent id="End3" />
  </bpmn:process>
</bpmn:definitions>`;

describe('hostile XML', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['external entity', XXE],
    ['billion laughs', LAUGHS],
  ])('refuses a document with a %s: 400 INVALID_BPMN within a second, nothing stored', async (_name, xml) => {
    // when
    const started = Date.now();
    const answer = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });
    // then
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe('INVALID_BPMN');
    expect(answer.text).not.toContain('root:');
    expect(error.details[0]).toMatchObject({ line: 2 });
    expect((await t.call('GET', '/api/processes')).body).toEqual([]);
  });

  it('refuses a DTD however it is spelled (case, whitespace, after comments)', async () => {
    const variants = [
      XXE.replace('<!DOCTYPE', '<!doctype'),
      XXE.replace('<!DOCTYPE', '<!--x-->\n<!DOCTYPE'),
      XXE.replace('<!DOCTYPE definitions [ <!ENTITY', '<!DOCTYPE definitions [\n\t<!ENTITY'),
      XXE.replace(/<!DOCTYPE[^\]]*\]>/, '<!DOCTYPE bpmn:definitions SYSTEM "http://127.0.0.1:9/evil.dtd">'),
    ];
    for (const xml of variants) {
      const answer = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });
      expect(answer.status).toBe(400);
      expect(errorOf(answer).code).toBe('INVALID_BPMN');
    }
    expect((await t.call('GET', '/api/processes')).body).toEqual([]);
  });
});

describe('body limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ bodyLimit: '20kb' });
    await t.deploy('server-job.bpmn');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 413 PAYLOAD_TOO_LARGE for JSON and XML bodies over a configured limit', async () => {
    const json = await t.call('POST', '/api/processes/srv_job/instances', {
      json: { variables: { blob: 'y'.repeat(25_000) } },
    });
    expect(json.status).toBe(413);
    expect(errorOf(json).code).toBe('PAYLOAD_TOO_LARGE');
    const xml = fixture('server-job.bpmn').replace(
      '<bpmn:startEvent',
      `<!-- ${'x'.repeat(25_000)} --><bpmn:startEvent`,
    );
    const deploy = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });
    expect(deploy.status).toBe(413);
    expect(errorOf(deploy).code).toBe('PAYLOAD_TOO_LARGE');
    // under the limit is fine
    expect(
      (await t.call('POST', '/api/processes/srv_job/instances', { json: { variables: { blob: 'y'.repeat(15_000) } } }))
        .status,
    ).toBe(201);
  });
});

describe('bad JSON and wrong field types', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.deploy('server-job.bpmn');
  });
  afterAll(async () => {
    await t.close();
  });

  const POSTS = [
    '/api/processes/srv_job/instances',
    '/api/instances/x/cancel',
    '/api/instances/x/suspend',
    '/api/instances/x/resume',
    '/api/messages',
    '/api/signals',
    '/api/conditions/evaluate',
    '/api/user-tasks/x/claim',
    '/api/user-tasks/x/complete',
    '/api/jobs/activate',
    '/api/jobs/x/complete',
    '/api/jobs/x/fail',
    '/api/jobs/x/error',
    '/api/incidents/x/retry',
  ];

  it('answers 400 INVALID_JSON to a malformed body on every JSON route', async () => {
    for (const path of POSTS) {
      for (const raw of ['{"variables": ', '{bad}', "{'a': 1}", '[1,', '\u0000']) {
        const answer = await t.call('POST', path, { raw });
        expect(answer.status, `${path} ${raw}`).toBe(400);
        expect(errorOf(answer).code, path).toBe('INVALID_JSON');
      }
    }
    const patch = await t.call('PATCH', '/api/instances/x/variables', { raw: '{"a":' });
    expect(errorOf(patch).code).toBe('INVALID_JSON');
  });

  it('answers 400 INVALID_REQUEST naming the field for every wrongly typed field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/processes/srv_job/instances', { variables: [1] }, 'variables'],
      ['POST', '/api/processes/srv_job/instances', { businessKey: 7 }, 'businessKey'],
      ['POST', '/api/processes/srv_job/instances', { version: '1' }, 'version'],
      ['POST', '/api/processes/srv_job/instances', { version: 1.5 }, 'version'],
      ['POST', '/api/processes/srv_job/instances', [], '(body)'],
      ['POST', '/api/instances/x/cancel', { reason: {} }, 'reason'],
      ['POST', '/api/instances/x/suspend', { reason: 1 }, 'reason'],
      ['POST', '/api/instances/x/resume', { reason: true }, 'reason'],
      ['PATCH', '/api/instances/x/variables', [1, 2], '(body)'],
      ['POST', '/api/messages', { name: 1 }, 'name'],
      ['POST', '/api/messages', {}, 'name'],
      ['POST', '/api/messages', { name: 'm', correlationKey: {} }, 'correlationKey'],
      ['POST', '/api/messages', { name: 'm', variables: 'x' }, 'variables'],
      ['POST', '/api/messages', { name: 'm', timeToLive: 60 }, 'timeToLive'],
      ['POST', '/api/messages', { name: 'm', timeToLive: 'soon' }, 'timeToLive'],
      ['POST', '/api/messages', { name: 'm', messageId: 5 }, 'messageId'],
      ['POST', '/api/signals', { name: ['s'] }, 'name'],
      ['POST', '/api/signals', { name: 's', variables: [] }, 'variables'],
      ['POST', '/api/conditions/evaluate', { variables: 3 }, 'variables'],
      ['POST', '/api/conditions/evaluate', { processId: 3 }, 'processId'],
      ['POST', '/api/user-tasks/x/claim', { assignee: 3 }, 'assignee'],
      ['POST', '/api/user-tasks/x/complete', { variables: 'v' }, 'variables'],
      ['POST', '/api/jobs/activate', { type: 3 }, 'type'],
      ['POST', '/api/jobs/activate', { type: 't', maxJobs: 0 }, 'maxJobs'],
      ['POST', '/api/jobs/activate', { type: 't', maxJobs: '5' }, 'maxJobs'],
      ['POST', '/api/jobs/activate', { type: 't', lockMs: -1 }, 'lockMs'],
      ['POST', '/api/jobs/activate', { type: 't', waitMs: 1e9 }, 'waitMs'],
      ['POST', '/api/jobs/activate', { type: 't', worker: 1 }, 'worker'],
      ['POST', '/api/jobs/x/complete', { variables: [] }, 'variables'],
      ['POST', '/api/jobs/x/fail', { retries: 'none' }, 'retries'],
      ['POST', '/api/jobs/x/fail', { errorMessage: 1 }, 'errorMessage'],
      ['POST', '/api/jobs/x/fail', { retryBackoffMs: -5 }, 'retryBackoffMs'],
      ['POST', '/api/jobs/x/error', { errorCode: 1 }, 'errorCode'],
      ['POST', '/api/jobs/x/error', { errorCode: 'E', variables: 1 }, 'variables'],
      ['POST', '/api/incidents/x/retry', { retries: -1 }, 'retries'],
      ['POST', '/api/incidents/x/retry', { reason: 1 }, 'reason'],
      ['GET', '/api/instances?limit=abc', undefined, 'limit'],
      ['GET', '/api/instances?status=weird', undefined, 'status'],
      ['GET', '/api/processes/srv_job/xml?version=x', undefined, 'version'],
    ];
    for (const [method, path, json, name] of cases) {
      const answer = await t.call(method, path, json === undefined ? {} : { json });
      expect(answer.status, `${method} ${path} ${JSON.stringify(json)}`).toBe(400);
      const error = errorOf(answer);
      expect(error.code, path).toBe('INVALID_REQUEST');
      expect(error.message, path).toContain(name === '(body)' ? 'body' : name);
    }
  });

  it('does not let a __proto__ key pollute anything', async () => {
    const raw = '{"variables": {"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}}';
    const answer = await t.call('POST', '/api/processes/srv_job/instances', { raw });
    expect(answer.status).toBeLessThan(500);
    const patch = await t.call('PATCH', `/api/instances/${answer.body?.id ?? 'x'}/variables`, {
      raw: '{"__proto__": {"polluted": true}}',
    });
    expect(patch.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await t.call('GET', '/api/health')).status).toBe(200);
  });
});

describe('FEEL errors at run time', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const deployed = await t.call('POST', '/api/deployments', { raw: FEEL_GATEWAY, contentType: 'application/xml' });
    expect(deployed.status, deployed.text).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['feel_gateway', { a: 1 }, 'Decide'],
    ['feel_job_type', { kind: [1, 2] }, 'Work'],
    ['feel_timer', { delay: 'not a duration' }, 'Wait'],
  ])('%s: becomes an incident on the element, the server stays up', async (processId, variables, elementId) => {
    // when
    const started = await t.call('POST', `/api/processes/${processId}/instances`, { json: { variables } });
    // then
    expect(started.status).toBe(201);
    const instance = await waitFor('an incident', async () => {
      const answer = await t.call('GET', `/api/instances/${started.body.id}`);
      return answer.body.incidents.length > 0 ? answer.body : undefined;
    });
    expect(instance.status).toBe('active');
    expect(instance.incidents[0]).toMatchObject({ elementId });
    expect(instance.incidents[0].message).toMatch(/\S/);
    expect((await t.call('GET', '/api/health')).status).toBe(200);
  });
});
