/**
 * Concurrency over HTTP (issue 5, item 2): racing job completions, duplicate message deliveries,
 * parallel commands on one instance and retried instance starts with an `Idempotency-Key`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, waitFor, type Answer, type TestServer } from './helpers.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

/** Two jobs one after the other: `conc.first`, then `conc.second`. */
const TWO_JOBS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs_conc_jobs" targetNamespace="http://baton.test">
  <bpmn:process id="conc_jobs" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="First" />
    <bpmn:serviceTask id="First"><bpmn:extensionElements><zeebe:taskDefinition type="conc.first" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="F2" sourceRef="First" targetRef="Second" />
    <bpmn:serviceTask id="Second"><bpmn:extensionElements><zeebe:taskDefinition type="conc.second" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="F3" sourceRef="Second" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** Waits twice, one after the other, for the same message: a duplicate delivery would pass both. */
const TWO_CATCHES = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs_conc_msg" targetNamespace="http://baton.test">
  <bpmn:message id="Msg" name="conc.paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="conc_msg" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait1" />
    <bpmn:intermediateCatchEvent id="Wait1"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="F2" sourceRef="Wait1" targetRef="Wait2" />
    <bpmn:intermediateCatchEvent id="Wait2"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="F3" sourceRef="Wait2" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

async function deployXml(t: TestServer, xml: string): Promise<void> {
  const answer = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });
  expect(answer.status, answer.text).toBe(201);
}

async function start(t: TestServer, processId: string, variables: Record<string, unknown> = {}): Promise<string> {
  const answer = await t.call('POST', `/api/processes/${processId}/instances`, { json: { variables } });
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id;
}

async function activate(t: TestServer, type: string, worker: string, lockMs = 30_000) {
  return waitFor(`a ${type} job`, async () => {
    const answer = await t.call('POST', '/api/jobs/activate', { json: { type, worker, maxJobs: 1, lockMs } });
    return answer.body.jobs[0] as { key: string; instanceId: string } | undefined;
  });
}

function statuses(answers: Answer[]): number[] {
  return answers.map((a) => a.status).sort();
}

describe('concurrency over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
    await deployXml(t, TWO_JOBS);
    await deployXml(t, TWO_CATCHES);
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets exactly one of two workers complete the same job; the other gets 404 JOB_NOT_FOUND or 409 JOB_NOT_LOCKED', async () => {
    // given
    const id = await start(t, 'conc_jobs');
    const job = await activate(t, 'conc.first', 'w1');
    // when both complete it at once
    const answers = await Promise.all(
      ['a', 'b'].map((who) => t.call('POST', `/api/jobs/${job.key}/complete`, { json: { variables: { by: who } } })),
    );
    // then
    expect(statuses(answers)[0]).toBe(200);
    const loser = answers.find((a) => a.status !== 200)!;
    expect(loser, 'exactly one completion succeeds').toBeDefined();
    // the loser saw the job gone, or (when it ran first but committed second) no longer locked by it
    expect([
      [404, 'JOB_NOT_FOUND'],
      [409, 'JOB_NOT_LOCKED'],
    ]).toContainEqual([loser.status, errorOf(loser).code]);
    const history = (await t.call('GET', `/api/instances/${id}/history`)).body as {
      type: string;
      elementId?: string;
    }[];
    expect(history.filter((h) => h.type === 'element-completed' && h.elementId === 'First')).toHaveLength(1);
    expect(history.filter((h) => h.type === 'element-activated' && h.elementId === 'Second')).toHaveLength(1);
  });

  it('answers 409 JOB_NOT_LOCKED to a completion after the lock expired', async () => {
    // given a job whose short lock ran out
    await start(t, 'conc_jobs');
    const job = await activate(t, 'conc.first', 'slow', 100);
    await new Promise((r) => setTimeout(r, 250));
    // when
    const late = await t.call('POST', `/api/jobs/${job.key}/complete`, { json: {} });
    // then
    expect(late.status).toBe(409);
    expect(errorOf(late).code).toBe('JOB_NOT_LOCKED');
  });

  // A completion that names its worker is refused once another worker holds the job (contract:
  // "or that another worker now holds" → 409).
  it('answers 409 JOB_NOT_LOCKED to the first worker once another worker holds the job', async () => {
    await start(t, 'conc_jobs');
    const stale = await activate(t, 'conc.first', 'slow', 100);
    await new Promise((r) => setTimeout(r, 250));
    const fresh = await activate(t, 'conc.first', 'fast');
    expect(fresh.key).toBe(stale.key);
    const late = await t.call('POST', `/api/jobs/${stale.key}/complete`, { json: { worker: 'slow' } });
    expect(late.status).toBe(409);
    expect((await t.call('POST', `/api/jobs/${fresh.key}/complete`, { json: { worker: 'fast' } })).status).toBe(200);
  });

  it('correlates a message published twice with one messageId once, sequentially and concurrently', async () => {
    // given two instances, each waiting twice for the same message
    const seq = await start(t, 'conc_msg', { orderId: 'o-seq' });
    const par = await start(t, 'conc_msg', { orderId: 'o-par' });
    await waitFor('both waiting', async () => {
      const a = (await t.call('GET', `/api/instances/${seq}`)).body.activeElements;
      const b = (await t.call('GET', `/api/instances/${par}`)).body.activeElements;
      return a.includes('Wait1') && b.includes('Wait1');
    });
    // when the same delivery arrives twice, once in sequence and once in parallel
    const message = (key: string) => ({
      json: { name: 'conc.paid', correlationKey: key, messageId: `delivery-${key}` },
    });
    const first = await t.call('POST', '/api/messages', message('o-seq'));
    const second = await t.call('POST', '/api/messages', message('o-seq'));
    const parallel = await Promise.all(
      Array.from({ length: 5 }, () => t.call('POST', '/api/messages', message('o-par'))),
    );
    // then every delivery is acknowledged, and only one correlated
    expect(first.body).toEqual({ correlated: [seq], started: [] });
    expect(second.status).toBe(200);
    expect(second.body.correlated).toEqual([]);
    expect(statuses(parallel)).toEqual([200, 200, 200, 200, 200]);
    expect(parallel.flatMap((a) => a.body.correlated)).toEqual([par]);
    for (const id of [seq, par]) {
      const instance = (await t.call('GET', `/api/instances/${id}`)).body;
      expect(instance.activeElements, id).toEqual(['Wait2']);
    }
    // and a new messageId is a new message
    const other = await t.call('POST', '/api/messages', {
      json: { name: 'conc.paid', correlationKey: 'o-seq', messageId: 'delivery-2' },
    });
    expect(other.body.correlated).toEqual([seq]);
  });

  it('serialises 20 parallel variable edits and a job completion on one instance without losing an update', async () => {
    // given
    const id = await start(t, 'conc_jobs', { counter: 0 });
    const job = await activate(t, 'conc.first', 'w1');
    // when
    const edits = Array.from({ length: 20 }, (_, i) =>
      t.call('PATCH', `/api/instances/${id}/variables`, { json: { [`k${i}`]: i, last: i } }),
    );
    const completion = t.call('POST', `/api/jobs/${job.key}/complete`, { json: { variables: { fromJob: true } } });
    const answers = await Promise.all([...edits, completion]);
    // then
    expect(statuses(answers)).toEqual(Array(21).fill(200));
    const instance = (await t.call('GET', `/api/instances/${id}`)).body;
    for (let i = 0; i < 20; i++) expect(instance.variables[`k${i}`], `k${i}`).toBe(i);
    expect(instance.variables.fromJob).toBe(true);
    expect(instance.activeElements).toEqual(['Second']);
    const history = (await t.call('GET', `/api/instances/${id}/history`)).body as { seq: number; type: string }[];
    const seqs = history.map((h) => h.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // each edit was answered with the state it made: its own key, and its own `last`
    answers.slice(0, 20).forEach((a, i) => {
      expect(a.body.variables[`k${i}`], `edit ${i}`).toBe(i);
      expect(a.body.variables.last, `edit ${i}`).toBe(i);
    });
    // and the variables show the edit the history says was applied last
    const edits20 = (history as unknown as { type: string; names?: string[] }[]).filter(
      (h) => h.type === 'variables-updated',
    );
    expect(edits20).toHaveLength(20);
    const lastKey = edits20[edits20.length - 1]!.names!.find((n) => /^k\d+$/.test(n))!;
    expect(instance.variables.last).toBe(Number(lastKey.slice(1)));
  });

  it('answers retried starts with one Idempotency-Key with the first answer, sequentially and concurrently', async () => {
    // given
    const headers = { 'idempotency-key': 'start-1' };
    // when
    const first = await t.call('POST', '/api/processes/conc_jobs/instances', {
      json: { variables: { n: 1 } },
      headers,
    });
    const again = await t.call('POST', '/api/processes/conc_jobs/instances', {
      json: { variables: { n: 1 } },
      headers,
    });
    const burst = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.call('POST', '/api/processes/conc_jobs/instances', {
          json: { variables: { n: 2 } },
          headers: { 'idempotency-key': 'start-2' },
        }),
      ),
    );
    // then
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(new Set(burst.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(burst.map((a) => a.text)).size).toBe(1);
    expect(burst[0]!.body.id).not.toBe(first.body.id);
    const all = (await t.call('GET', '/api/instances?processId=conc_jobs')).body;
    expect(all.total).toBe(2);
  });
});
