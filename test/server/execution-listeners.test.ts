/**
 * Execution listeners over real HTTP: a model shaped like the Camunda 8 examples that use them (a
 * process start listener that prepares data, listeners around a service task, a gateway decided by
 * what its start listener found), run by outside workers through /api/jobs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, takeJob, waitFor, type TestServer } from './helpers.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D_el" targetNamespace="http://baton.dev/test">
  <bpmn:process id="shipment_el" isExecutable="true">
    <bpmn:extensionElements>
      <zeebe:executionListeners>
        <zeebe:executionListener eventType="start" type="shipment.load-defaults" />
        <zeebe:executionListener eventType="end" type="shipment.notify-closed" />
      </zeebe:executionListeners>
    </bpmn:extensionElements>
    <bpmn:startEvent id="Received" />
    <bpmn:serviceTask id="Book" name="Book carrier">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="shipment.book" />
        <zeebe:taskHeaders><zeebe:header key="carrier" value="default" /></zeebe:taskHeaders>
        <zeebe:executionListeners>
          <zeebe:executionListener eventType="start" type="shipment.quote" retries="2">
            <zeebe:taskHeaders><zeebe:header key="currency" value="EUR" /></zeebe:taskHeaders>
          </zeebe:executionListener>
          <zeebe:executionListener eventType="end" type="shipment.archive" />
        </zeebe:executionListeners>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:exclusiveGateway id="Express" default="ToStandard">
      <bpmn:extensionElements>
        <zeebe:executionListeners><zeebe:executionListener eventType="start" type="shipment.classify" /></zeebe:executionListeners>
      </bpmn:extensionElements>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="ExpressDone" /><bpmn:endEvent id="StandardDone" />
    <bpmn:sequenceFlow id="f1" sourceRef="Received" targetRef="Book" />
    <bpmn:sequenceFlow id="f2" sourceRef="Book" targetRef="Express" />
    <bpmn:sequenceFlow id="ToExpress" sourceRef="Express" targetRef="ExpressDone">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=express</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="ToStandard" sourceRef="Express" targetRef="StandardDone" />
  </bpmn:process>
</bpmn:definitions>`;

describe('execution listeners over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  const take = (type: string) => takeJob(t, type);

  async function done(type: string, variables: Record<string, unknown> = {}): Promise<any> {
    const job = await take(type);
    const answer = await t.call('POST', `/api/jobs/${job.key}/complete`, { json: { variables } });
    expect(answer.status).toBe(200);
    return job;
  }

  it('runs process, task and gateway listeners as jobs, in order, and shows them in the history', async () => {
    // given
    const deployed = await t.call('POST', '/api/deployments', { raw: XML, contentType: 'application/xml' });
    expect(deployed.status).toBe(201);
    const { body: started } = await t.call('POST', '/api/processes/shipment_el/instances', {
      json: { variables: { weight: 3 } },
    });
    // when the workers take the jobs one after another
    await done('shipment.load-defaults', { priority: 'high' });
    const quote = await take('shipment.quote');
    // then the listener job carries the element's headers and its own
    expect(quote).toMatchObject({
      elementId: 'Book',
      retries: 2,
      customHeaders: { carrier: 'default', currency: 'EUR' },
    });
    // and the task's job is not there before the start listener completed
    expect((await t.call('POST', '/api/jobs/activate', { json: { type: 'shipment.book' } })).body.jobs).toEqual([]);
    await t.call('POST', `/api/jobs/${quote.key}/complete`, { json: { variables: { price: 12 } } });
    const book = await done('shipment.book', { booked: true });
    expect(book.variables).toMatchObject({ price: 12, priority: 'high' });
    await done('shipment.archive', { archived: true });
    await done('shipment.classify', { express: true });
    await done('shipment.notify-closed');
    // then
    await waitFor(
      'completion',
      async () => (await t.call('GET', `/api/instances/${started.id}`)).body.status === 'completed',
    );
    const instance = (await t.call('GET', `/api/instances/${started.id}`)).body;
    expect(instance.variables).toMatchObject({ priority: 'high', booked: true, archived: true });
    expect(instance.variables).not.toHaveProperty('price');
    const history = (await t.call('GET', `/api/instances/${started.id}/history`)).body as Record<string, unknown>[];
    const listenerSteps = history
      .filter((h) => h.type === 'listener-completed')
      .map((h) => `${h.elementId}:${h.eventType}`);
    expect(listenerSteps).toEqual(['shipment_el:start', 'Book:start', 'Book:end', 'Express:start', 'shipment_el:end']);
    expect(history.map((h) => h.elementId)).toContain('ExpressDone');
  });

  it('a failing listener raises an incident; retrying it runs that listener again; a BPMN error from it is refused', async () => {
    await t.call('POST', '/api/deployments', { raw: XML, contentType: 'application/xml' });
    const { body: started } = await t.call('POST', '/api/processes/shipment_el/instances', { json: {} });
    await done('shipment.load-defaults');
    const quote = await take('shipment.quote');
    const thrown = await t.call('POST', `/api/jobs/${quote.key}/error`, { json: { errorCode: 'NO_QUOTE' } });
    expect(thrown.status).toBe(409);
    expect(errorOf(thrown).code).toBe('LISTENER_JOB_ERROR');
    await t.call('POST', `/api/jobs/${quote.key}/fail`, { json: { errorMessage: 'quote service down', retries: 0 } });
    const incident = await waitFor(
      'an incident',
      async () => (await t.call('GET', `/api/incidents?instanceId=${started.id}`)).body[0],
    );
    expect(incident).toMatchObject({ elementId: 'Book', message: 'quote service down' });
    await t.call('POST', `/api/incidents/${incident.id}/retry`, { json: { retries: 1 } });
    await done('shipment.quote');
    await done('shipment.book');
    const instance = (await t.call('GET', `/api/instances/${started.id}`)).body;
    expect(instance.incidents).toEqual([]);
  });
});
