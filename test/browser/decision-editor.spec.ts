/**
 * The decision editor journey: draw a decision table in the browser (dmn-js), see a deployment
 * refused with the problem named and its decision opened, fix it, deploy, call the decision from
 * a process's business rule task, and see the evaluation — the matched rule — on the instance page.
 */
import type { Page } from '@playwright/test';
import { deploy, expect, screenshot, startInstance, test, until } from './support.ts';

/** Types `text` into a dmn-js editable cell (contenteditable) or expression editor. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  const cell = page.locator(selector);
  await cell.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

/** A process whose business rule task "Rate customer" calls `decisionId` into `discount`. */
function callingProcess(processId: string, decisionId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://baton.test">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:businessRuleTask id="Task_Rate" name="Rate customer">
      <bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="discount" /></bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_Rate" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_Rate" targetRef="End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" bpmnElement="${processId}">
    <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="Task_Rate_di" bpmnElement="Task_Rate"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="F1_di" bpmnElement="F1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

test.use({ allowConsoleErrors: [/status of 400 \(Bad Request\).*\/api\/deployments/] });

test('draw a decision table, deploy it, call it from a process, see the evaluation', async ({ page, request }) => {
  test.setTimeout(90_000);
  await page.goto('/decision.html');
  await expect(page.locator('#status')).toContainText(/New decision|Restored/);
  await page.locator('#new-document').click();
  const tab = page.locator('#dmn-views button[data-view="decisionTable"]');
  await expect(tab).toHaveClass(/active/);
  const decisionId = (await tab.getAttribute('data-element-id'))!;

  await test.step('deploying the new table without an input expression is refused, naming the column', async () => {
    await page.locator('#deploy').click();
    await expect(page.locator('#status')).toContainText('Deployment refused (INVALID_DMN)');
    await expect(page.locator('#problems')).toContainText('Expected the input expression');
    await expect(page.locator('#problems li')).toHaveAttribute('data-element-id', /^Input_/);
    const column = page.locator('th.input-cell');
    await expect(column).toHaveCSS('outline-style', 'solid');
  });

  await test.step('draw the table: an input expression, two rules', async () => {
    await page.locator('button[aria-label="Edit input"]').dispatchEvent('click');
    await typeInto(page, '.cm-content[aria-label="Input expression"]', 'customer');
    await page.keyboard.press('Escape');
    await expect(page.locator('th.input-cell .input-label')).toContainText('Input');
    await page.locator('button[title="Add rule"]').click();
    await page.locator('button[title="Add rule"]').click();
    const rows = page.locator('.tjs-table tbody tr');
    await expect(rows).toHaveCount(2);
    await typeInto(page, '.tjs-table tbody tr:nth-child(1) td.input-cell', '"gold"');
    await typeInto(page, '.tjs-table tbody tr:nth-child(1) td.output-cell', '"ten percent"');
    await typeInto(page, '.tjs-table tbody tr:nth-child(2) td.input-cell', 'not("gold")');
    await typeInto(page, '.tjs-table tbody tr:nth-child(2) td.output-cell', '"none"');
    await page.locator('.decision-table-name').click();
    await screenshot(page, 'decision-editor');
  });

  await test.step('deploy it', async () => {
    await page.locator('#deploy').click();
    await expect(page.locator('#status')).toContainText(`Deployed decision ${decisionId} version 1`);
    await expect(page.locator('#problems')).toBeHidden();
    await expect(page.locator('th.input-cell')).toHaveCSS('outline-style', 'none');
  });

  const processId = `rate-${decisionId.toLowerCase()}`;
  await deploy(request, callingProcess(processId, decisionId));
  const id = await startInstance(request, processId, { variables: { customer: 'gold' } });
  const done = await until(async () => {
    const instance = await (await request.get(`/api/instances/${id}`)).json();
    return instance.status === 'completed' ? instance : undefined;
  }, 'the instance to complete');
  expect(done.variables.discount).toBe('ten percent');

  await test.step('the instance page shows the evaluation, rule 1 matched', async () => {
    await page.goto(`/#/instances/${id}`);
    const table = page.locator(`#decisions .decision[data-decision-id="${decisionId}"] table`);
    await expect(table.locator('th.decision-input')).toContainText('= "gold"');
    await expect(table.locator('tr[data-rule="1"]')).toHaveClass(/matched/);
    await expect(table.locator('tr[data-rule="2"]')).not.toHaveClass(/matched/);
    await expect(page.locator('#decisions .decision-result')).toContainText('discount = "ten percent"');
  });
});
