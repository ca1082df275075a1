/**
 * What Camunda 8 deploys and ignores deploys here too, with warnings: diagram interchange mistakes,
 * attributes and extension elements of other namespaces. What Camunda 8 refuses stays refused.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';

/** A model as a migrated Camunda 7 project often looks: Camunda 8 settings, leftovers, and a stale diagram. */
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Defs" targetNamespace="http://bpmn.io/schema/bpmn"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="invoice_review" name="Invoice review" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:extensionElements>
      <camunda:properties><camunda:property name="owner" value="finance" /></camunda:properties>
    </bpmn:extensionElements>
    <bpmn:startEvent id="Received" camunda:asyncAfter="true" />
    <bpmn:serviceTask id="Check" name="Check invoice" camunda:asyncBefore="true" camunda:exclusive="false">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="invoice.check" />
        <camunda:failedJobRetryTimeCycle>R3/PT5M</camunda:failedJobRetryTimeCycle>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="Done" />
    <bpmn:sequenceFlow id="f1" sourceRef="Received" targetRef="Check" camunda:note="x" />
    <bpmn:sequenceFlow id="f2" sourceRef="Check" targetRef="Done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram">
    <bpmndi:BPMNPlane id="Plane" bpmnElement="Process_0old">
      <bpmndi:BPMNShape id="Received_di" bpmnElement="Received"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Gone_di" bpmnElement="Activity_deleted"><dc:Bounds x="200" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe('deploying what Camunda 8 deploys', () => {
  it('deploys a model with a stale diagram and Camunda 7 leftovers, each named in a warning with its line', async () => {
    // when
    const result = await compileBpmn(XML);
    // then it deploys
    expect(result.problems).toEqual([]);
    expect(result.processes.map((p) => p.id)).toEqual(['invoice_review']);
    // and every ignored thing is a warning on its element, in line order
    const lines = XML.split('\n');
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    const warnings = result.warnings.map((w) => [w.elementId, w.line, w.message] as const);
    expect(warnings).toEqual(
      expect.arrayContaining([
        ['invoice_review', lineOf('id="invoice_review"'), expect.stringMatching(/camunda:historyTimeToLive/)],
        ['invoice_review', lineOf('id="invoice_review"'), expect.stringMatching(/<camunda:properties>/)],
        ['Received', lineOf('id="Received"'), expect.stringMatching(/camunda:asyncAfter/)],
        ['Check', lineOf('id="Check"'), expect.stringMatching(/camunda:asyncBefore/)],
        ['Check', lineOf('id="Check"'), expect.stringMatching(/<camunda:failedJobRetryTimeCycle>/)],
        ['f1', lineOf('id="f1"'), expect.stringMatching(/camunda:note/)],
        ['Plane', lineOf('id="Plane"'), expect.stringMatching(/"Process_0old", which does not exist/)],
        ['Gone_di', lineOf('id="Gone_di"'), expect.stringMatching(/"Activity_deleted"/)],
      ]),
    );
    expect(result.warnings.map((w) => w.line)).toEqual([...result.warnings.map((w) => w.line)].sort((a, b) => a! - b!));
  });

  it('still refuses what Camunda 8 refuses, and keeps the warnings beside the problems', async () => {
    const broken = XML.replace('<zeebe:taskDefinition type="invoice.check" />', '');
    const result = await compileBpmn(broken);
    expect(result.processes).toEqual([]);
    expect(result.problems.map((p) => p.elementId)).toEqual(['Check']);
    expect(result.problems[0]!.message).toMatch(/zeebe:taskDefinition/);
    expect(result.warnings.length).toBeGreaterThan(0);
  });
});
