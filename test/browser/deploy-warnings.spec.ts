/**
 * A model Camunda 8 deploys with leftovers it ignores (a Camunda 7 attribute, a stale diagram
 * plane) deploys here too; the modeler says so and marks the element named in each warning.
 */
import { expect, test } from './support.ts';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_w" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="warned_process" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Legacy" name="Legacy step" camunda:asyncBefore="true">
      <bpmn:extensionElements><zeebe:taskDefinition type="legacy" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Legacy" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_w">
    <bpmndi:BPMNPlane id="Plane_w" bpmnElement="warned_process">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Legacy_di" bpmnElement="Legacy"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

test('a deployment with ignored leftovers succeeds and shows its warnings on the diagram', async ({
  page,
  request,
}) => {
  await page.goto('/modeler.html');
  await page.setInputFiles('#open-file', {
    name: 'warned.bpmn',
    mimeType: 'application/xml',
    buffer: Buffer.from(XML),
  });
  await expect(page.locator('#status')).toContainText('Opened');
  // when
  await page.locator('#deploy').click();
  // then
  await expect(page.locator('#status')).toContainText('Deployed warned_process version 1');
  await expect(page.locator('#status')).toContainText('1 warning(s)');
  await expect(page.locator('.djs-element[data-element-id="Legacy"]').first()).toHaveClass(/deploy-warning/);
  await expect(page.locator('.deploy-warning-badge[data-element-id="Legacy"]')).toBeVisible();
  await expect(page.locator('#problems li[data-element-id="Legacy"]')).toContainText('camunda:asyncBefore');
  expect((await request.get('/api/processes/warned_process/xml')).status()).toBe(200);
});
