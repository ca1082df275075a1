/**
 * Issue 9, over real HTTP: a model cannot pollute a prototype (the attack's model is refused at
 * deploy), hostile keys in every variables body stay plain data, deep JSON and deep XML get a 400
 * naming the limit instead of a stack overflow, and a start either answers 201 and is stored or
 * fails and stores nothing.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../engine/src/runtime/metrics.js';
import { bpmn, chain, end, esc, job, start, userTask } from '../semantics/helpers.js';
import { lineOf } from '../model/bpmn-helpers.js';
import { errorOf, startTestServer, type Answer, type TestServer } from './helpers.js';

/** Everything the built-in prototypes hold now: names and values. */
function snapshot(): unknown[] {
  return [Object.prototype, Array.prototype, Function.prototype].map((proto) =>
    Object.getOwnPropertyNames(proto).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)]),
  );
}
const clean = snapshot();
afterEach(() => {
  expect(snapshot()).toEqual(clean);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

const deploy = (t: TestServer, xml: string) =>
  t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });

/** The attack's model: a script task whose output mapping writes to `target`. */
const ATTACK = (target: string) =>
  bpmn(
    'attack',
    `${start()}
<bpmn:scriptTask id="T"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="r" /><zeebe:ioMapping><zeebe:output source="=&quot;yes&quot;" target="${target}" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:scriptTask>
${end()}${chain('Start', 'T', 'End')}`,
  );

/** Every kind of variables input in one process: start, job, message (keyed by `key`), user task. */
const ROUTES = bpmn(
  'routes',
  `${start()}${job('W', 'w')}
<bpmn:intermediateCatchEvent id="M"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>
${userTask('U')}${end()}${chain('Start', 'W', 'M', 'U', 'End')}`,
  `<bpmn:message id="Msg" name="m"><bpmn:extensionElements><zeebe:subscription correlationKey="${esc('=key')}" /></bpmn:extensionElements></bpmn:message>`,
);

/** A JSON text nesting `depth` objects: {"a":{"a":…1…}}. */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A value as a tree of Maps (own properties only), so that comparing never meets a prototype. */
function tree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tree);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.keys(value).map((k) => [k, tree((value as Record<string, unknown>)[k])]));
  }
  return value;
}

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'polluted', 'a'];
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.string({ maxLength: 3 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom(...HOSTILE), tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value;
/** Variables with hostile names and values, as JSON text (so `__proto__` is sent as a plain key). */
const hostileVars = fc.dictionary(fc.constantFrom(...HOSTILE), hostileJson, { maxKeys: 3, noNullPrototype: true });

describe('prototype pollution over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    expect((await deploy(t, ROUTES)).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(['x.__proto__.polluted', 'x.constructor.prototype.polluted', '__proto__.polluted'])(
    'refuses the model with output target %s at deploy: 400 naming the task, nothing stored, metrics still served',
    async (target) => {
      // when the attack's model is deployed
      const xml = ATTACK(target);
      const answer = await deploy(t, xml);
      // then it is refused on the task, with its line
      expect(answer.status).toBe(400);
      const error = errorOf(answer);
      expect(error.code).toBe('INVALID_BPMN');
      expect(error.details).toEqual([
        {
          elementId: 'T',
          line: lineOf(xml, '<bpmn:scriptTask id="T"'),
          message: expect.stringMatching(/reserved name/),
        },
      ]);
      // and nothing was stored, nothing can start, and the server (metrics included) works
      expect((await t.call('GET', '/api/processes')).body.map((p: { processId: string }) => p.processId)).toEqual([
        'routes',
      ]);
      expect((await t.call('POST', '/api/processes/attack/instances', { json: {} })).status).toBe(404);
      expect((await t.call('GET', '/metrics')).status).toBe(200);
    },
  );

  it('keeps hostile variable names as plain data on every route that takes variables (fast-check)', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileVars, { minLength: 5, maxLength: 5 }), async (sent) => {
        // given five sets of variables with hostile names, sent as JSON text
        const key = `k${round++}`;
        const [v1, v2, v3, v4, v5] = sent.map((v) => JSON.stringify(v)) as [string, string, string, string, string];
        const ok = (a: Answer) => expect(a.status, a.text).toBeLessThan(300);
        // when an instance starts with the first, and each route in turn sends the next
        const started = await t.call('POST', '/api/processes/routes/instances', {
          raw: `{"variables": ${v1.replace(/^\{/, `{"key": "${key}"${v1 === '{}' ? '' : ','}`)}}`,
        });
        ok(started);
        const id = started.body.id as string;
        ok(await t.call('PATCH', `/api/instances/${id}/variables`, { raw: v2 }));
        const jobs = await t.call('POST', '/api/jobs/activate', { json: { type: 'w', maxJobs: 1 } });
        ok(await t.call('POST', `/api/jobs/${jobs.body.jobs[0].key}/complete`, { raw: `{"variables": ${v3}}` }));
        ok(
          await t.call('POST', '/api/messages', {
            raw: `{"name": "m", "correlationKey": "${key}", "variables": ${v4}}`,
          }),
        );
        const tasks = await t.call('GET', `/api/user-tasks?instanceId=${id}`);
        ok(await t.call('POST', `/api/user-tasks/${tasks.body[0].id}/complete`, { raw: `{"variables": ${v5}}` }));
        ok(await t.call('POST', '/api/signals', { raw: `{"name": "s", "variables": ${v5}}` }));
        ok(await t.call('POST', '/api/conditions/evaluate', { raw: `{"variables": ${v5}}` }));
        // then the instance completed holding exactly the merge of what was sent, names as sent
        const done = await t.call('GET', `/api/instances/${id}`);
        expect(done.body.status).toBe('completed');
        const expected = new Map([['key', key]]);
        for (const v of [v1, v2, v3, v4, v5])
          for (const [k, value] of tree(JSON.parse(v)) as Map<string, never>) expected.set(k, value);
        expect(tree(JSON.parse(done.text).variables)).toEqual(expected);
        // and no prototype changed (checked after the test as well)
        expect(snapshot()).toEqual(clean);
      }),
      { numRuns: 25, seed: 9 },
    );
  });
});

describe('deep input over HTTP', () => {
  let t: TestServer;
  let waiting: string;
  beforeAll(async () => {
    t = await startTestServer({ bodyLimit: '2mb' });
    expect((await deploy(t, ROUTES)).status).toBe(201);
    waiting = (await t.call('POST', '/api/processes/routes/instances', { json: { variables: { key: 'w' } } })).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 400 VARIABLES_TOO_DEEP naming the field on every route that takes variables, and changes nothing', async () => {
    // given the attack's JSON: a variable nested 5,000 levels deep
    const deep = deepJson(5_000);
    const jobs = await t.call('POST', '/api/jobs/activate', { json: { type: 'w', maxJobs: 1 } });
    const jobKey = jobs.body.jobs[0].key as string;
    const routes: Array<[string, string, string, string]> = [
      ['POST', '/api/processes/routes/instances', `{"variables": {"deep": ${deep}}}`, 'variables.deep.'],
      ['PATCH', `/api/instances/${waiting}/variables`, `{"deep": ${deep}}`, 'deep.'],
      [
        'POST',
        '/api/messages',
        `{"name": "m", "correlationKey": "w", "variables": {"deep": ${deep}}}`,
        'variables.deep.',
      ],
      ['POST', '/api/signals', `{"name": "s", "variables": {"deep": ${deep}}}`, 'variables.deep.'],
      ['POST', '/api/conditions/evaluate', `{"variables": {"deep": ${deep}}}`, 'variables.deep.'],
      ['POST', `/api/jobs/${jobKey}/complete`, `{"variables": {"deep": ${deep}}}`, 'variables.deep.'],
      ['POST', `/api/jobs/${jobKey}/error`, `{"errorCode": "E", "variables": {"deep": ${deep}}}`, 'variables.deep.'],
      ['POST', '/api/user-tasks/1-9/complete', `{"variables": {"deep": ${deep}}}`, 'variables.deep.'],
    ];
    for (const [method, path, raw, field] of routes) {
      // when sent
      const answer = await t.call(method, path, { raw });
      // then 400 with the limit and the path of the too deep value
      expect(answer.status, `${method} ${path}`).toBe(400);
      const error = errorOf(answer);
      expect(error.code).toBe('VARIABLES_TOO_DEEP');
      expect(error.message).toMatch(/^Expected the variables to nest at most 64 levels of objects and arrays/);
      expect(error.details).toEqual([
        { field: expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}a\\.a`)), limit: 64 },
      ]);
    }
    // and nothing changed: one instance, still waiting at its job with its variables, the job still locked
    const list = await t.call('GET', '/api/instances');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id: waiting, activeElements: ['W'], variables: { key: 'w' } });
    expect((await t.call('POST', `/api/jobs/${jobKey}/complete`, { json: {} })).status).toBe(200);
    expect((await t.call('GET', '/api/health')).status).toBe(200);
  });

  it('accepts variables nested exactly 64 levels and refuses 65', async () => {
    // when an instance starts with a variable nested 64 levels, then it starts; with 65, it is refused
    const at = await t.call('POST', '/api/processes/routes/instances', {
      raw: `{"variables": {"v": ${deepJson(64)}}}`,
    });
    expect(at.status).toBe(201);
    const past = await t.call('POST', '/api/processes/routes/instances', {
      raw: `{"variables": {"v": ${deepJson(65)}}}`,
    });
    expect(past.status).toBe(400);
    expect(errorOf(past).details).toEqual([{ field: `variables.v.${Array(64).fill('a').join('.')}`, limit: 64 }]);
  });

  it('refuses 20,000 nested sub-processes (about 950 KB) with a 400 naming the limit, and stays healthy', async () => {
    // given the attack's document
    let inner = '';
    for (let i = 1; i <= 20_000; i++)
      inner = `<bpmn:subProcess id="sp${i}"><bpmn:startEvent id="s${i}" />${inner}</bpmn:subProcess>`;
    // when deployed
    const answer = await deploy(t, bpmn('nested', `${start()}${inner}`));
    // then 400 INVALID_BPMN naming the nesting limit, nothing stored
    expect(answer.status).toBe(400);
    expect(errorOf(answer).message).toMatch(/Expected XML elements nested at most 128 levels deep/);
    expect((await t.call('GET', '/api/processes')).body).toHaveLength(1);
    expect((await t.call('GET', '/api/health')).status).toBe(200);
  });

  it('refuses a NUL written as &#0; in a name: 400 with the line, nothing stored', async () => {
    // given a document whose end event's name holds &#0;
    const xml = bpmn('nul', `${start()}\n<bpmn:endEvent id="E" name="a&#0;b" />${chain('Start', 'E')}`);
    // when deployed, then it is refused at that line and nothing is stored
    const answer = await deploy(t, xml);
    expect(answer.status).toBe(400);
    expect(errorOf(answer).details).toEqual([
      { elementId: null, line: lineOf(xml, '&#0;'), message: expect.stringMatching(/holds U\+0000 \(written &#0;\)/) },
    ]);
    expect((await t.call('GET', '/api/processes')).body).toHaveLength(1);
  });
});

describe('a start is stored exactly when it is answered 201', () => {
  it('metrics run after the commit: a metric that fails neither fails a committed start nor stores it twice', async () => {
    // given a server whose metrics can be made to fail, as prom-client did once Object.prototype was polluted
    const metrics = createMetrics();
    const failing = { counter: false, latency: false };
    const fail = (when: keyof typeof failing, original: (...args: never[]) => void) =>
      ((...args: never[]) => {
        if (failing[when]) throw new Error('Added label "polluted" is not included in initial labelset');
        original(...args);
      }) as never;
    metrics.instancesStarted.inc = fail('counter', metrics.instancesStarted.inc.bind(metrics.instancesStarted));
    metrics.commandLatency.observe = fail('latency', metrics.commandLatency.observe.bind(metrics.commandLatency));
    const t = await startTestServer({ metrics });
    try {
      expect((await deploy(t, ROUTES)).status).toBe(201);
      // when the started-instances counter fails (it runs once the start committed)
      failing.counter = true;
      const first = await t.call('POST', '/api/processes/routes/instances', { json: { variables: { key: 'a' } } });
      failing.counter = false;
      // and when the latency metric fails
      failing.latency = true;
      const second = await t.call('POST', '/api/processes/routes/instances', { json: { variables: { key: 'b' } } });
      failing.latency = false;
      // then both starts are answered 201 and stored exactly once each
      expect([first.status, second.status]).toEqual([201, 201]);
      const list = await t.call('GET', '/api/instances');
      expect(list.body.items.map((i: { id: string }) => i.id).sort()).toEqual([first.body.id, second.body.id].sort());
      expect((await t.call('GET', '/api/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
