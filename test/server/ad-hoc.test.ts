/**
 * Ad-hoc sub-processes over real HTTP: a support case whose agent picks the next steps. The
 * collection starts the first step; the others are started through
 * POST /api/instances/:id/ad-hoc-activities until the completion condition holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, waitFor, type TestServer } from './helpers.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D_ah" targetNamespace="http://baton.dev/test">
  <bpmn:process id="support_case" isExecutable="true">
    <bpmn:startEvent id="Opened" />
    <bpmn:adHocSubProcess id="Handle" name="Handle case">
      <bpmn:extensionElements>
        <zeebe:adHoc activeElementsCollection="=[&quot;Triage&quot;]" outputCollection="notes" outputElement="=note" />
      </bpmn:extensionElements>
      <bpmn:serviceTask id="Triage"><bpmn:extensionElements><zeebe:taskDefinition type="case.triage" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:serviceTask id="Refund"><bpmn:extensionElements><zeebe:taskDefinition type="case.refund" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:serviceTask id="Escalate"><bpmn:extensionElements><zeebe:taskDefinition type="case.escalate" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=resolved = true</bpmn:completionCondition>
    </bpmn:adHocSubProcess>
    <bpmn:endEvent id="Closed" />
    <bpmn:sequenceFlow id="f1" sourceRef="Opened" targetRef="Handle" />
    <bpmn:sequenceFlow id="f2" sourceRef="Handle" targetRef="Closed" />
  </bpmn:process>
</bpmn:definitions>`;

describe('ad-hoc sub-processes over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  async function finish(type: string, variables: Record<string, unknown>): Promise<void> {
    const job = await waitFor(
      `a ${type} job`,
      async () => (await t.call('POST', '/api/jobs/activate', { json: { type, maxJobs: 1 } })).body.jobs[0],
    );
    expect((await t.call('POST', `/api/jobs/${job.key}/complete`, { json: { variables } })).status).toBe(200);
  }

  it('starts steps through the API until the condition holds, and collects their notes', async () => {
    expect((await t.call('POST', '/api/deployments', { raw: XML, contentType: 'application/xml' })).status).toBe(201);
    const { body: started } = await t.call('POST', '/api/processes/support_case/instances', { json: {} });
    await finish('case.triage', { note: 'customer wants money back', resolved: false });
    // the case waits for the next step
    const waiting = (await t.call('GET', `/api/instances/${started.id}`)).body;
    expect(waiting).toMatchObject({ status: 'active', activeElements: ['Handle'] });
    // an element with an unknown id is refused, naming the ones that can start
    const refused = await t.call('POST', `/api/instances/${started.id}/ad-hoc-activities`, {
      json: { adHocElementId: 'Handle', elements: [{ elementId: 'Closed' }] },
    });
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toMatchObject({ code: 'INVALID_ELEMENT', message: expect.stringContaining('Refund') });
    // when the agent starts the refund with a variable of its own
    const activated = await t.call('POST', `/api/instances/${started.id}/ad-hoc-activities`, {
      json: {
        adHocElementId: 'Handle',
        elements: [{ elementId: 'Refund', variables: { amount: 30 } }],
        reason: 'policy',
      },
    });
    expect(activated.status).toBe(200);
    expect(activated.body.activeElements).toEqual(expect.arrayContaining(['Handle', 'Refund']));
    const refund = await waitFor(
      'the refund job',
      async () =>
        (await t.call('POST', '/api/jobs/activate', { json: { type: 'case.refund', maxJobs: 1 } })).body.jobs[0],
    );
    expect(refund.variables).toMatchObject({ amount: 30 });
    await t.call('POST', `/api/jobs/${refund.key}/complete`, {
      json: { variables: { note: 'refunded', resolved: true } },
    });
    // then
    await waitFor(
      'completion',
      async () => (await t.call('GET', `/api/instances/${started.id}`)).body.status === 'completed',
    );
    const done = (await t.call('GET', `/api/instances/${started.id}`)).body;
    expect(done.variables).toEqual({ notes: ['customer wants money back', 'refunded'] });
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).body as Record<string, unknown>[];
    expect(history).toContainEqual(
      expect.objectContaining({
        type: 'ad-hoc-elements-activated',
        elementId: 'Handle',
        elements: ['Refund'],
        reason: 'policy',
      }),
    );
    const late = await t.call('POST', `/api/instances/${started.id}/ad-hoc-activities`, {
      json: { adHocElementId: 'Handle', elements: [{ elementId: 'Escalate' }] },
    });
    expect(late.status).toBe(409);
  });

  it('answers 400 for a body without elements', async () => {
    await t.call('POST', '/api/deployments', { raw: XML, contentType: 'application/xml' });
    const { body: started } = await t.call('POST', '/api/processes/support_case/instances', { json: {} });
    const bad = await t.call('POST', `/api/instances/${started.id}/ad-hoc-activities`, {
      json: { adHocElementId: 'Handle' },
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe('INVALID_REQUEST');
  });
});
