/** Over HTTP: a model with what Camunda 8 ignores deploys (201) and its answer lists the warnings. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="D_w" targetNamespace="t">
  <bpmn:process id="leftovers" isExecutable="true">
    <bpmn:startEvent id="S" camunda:asyncAfter="true" />
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f" sourceRef="S" targetRef="E" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Plane" bpmnElement="Process_1" /></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe('deploy warnings over HTTP', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  it('deploys a model with a foreign attribute and a stale diagram plane, answering both as warnings', async () => {
    const answer = await t.call('POST', '/api/deployments', { raw: XML, contentType: 'application/xml' });
    expect(answer.status).toBe(201);
    expect(answer.body.processes).toEqual([expect.objectContaining({ processId: 'leftovers', version: 1 })]);
    expect(answer.body.warnings).toEqual([
      expect.objectContaining({ elementId: 'S', line: 4, message: expect.stringContaining('camunda:asyncAfter') }),
      expect.objectContaining({
        elementId: 'Plane',
        line: 8,
        message: expect.stringContaining('"Process_1", which does not exist'),
      }),
    ]);
    const started = await t.call('POST', '/api/processes/leftovers/instances', { json: {} });
    expect(started.body.status).toBe('completed');
  });
});
