/**
 * The console's small stumbles, each fixed and held: the page of an unknown instance, error toasts
 * that followed the user to the next page, arrowheads of highlighted flows, and labels in the
 * example diagrams that sat on top of each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { deploy, expect, fixturePath, ROOT, startInstance, test } from './support.ts';

/** The colour of a flow's line and of its arrowhead, as the browser draws them. */
async function flowColors(page: Page, id: string): Promise<{ line: string; arrow: string }> {
  return page.locator(`.djs-connection[data-element-id="${id}"]`).evaluate((g) => {
    const line = g.querySelector('.djs-visual > path')!;
    const arrow = g.querySelector('.djs-visual > defs marker path')!;
    return { line: getComputedStyle(line).stroke, arrow: getComputedStyle(arrow).fill };
  });
}
const BLACK = 'rgb(34, 36, 42)';

test.describe('an unknown instance', () => {
  // Chromium logs the API's 404 answer as a console error; that one is the point here.
  test.use({ allowConsoleErrors: [/status of 404 \(Not Found\).*\/api\/instances\/no-such-instance/] });

  test('shows a not-found page, not an empty diagram and three empty panels', async ({ page }) => {
    // when the page of an instance that does not exist is opened
    await page.goto('/#/instances/no-such-instance');
    // then it says so, with a way on, and draws nothing else
    const card = page.locator('#instance-not-found');
    await expect(card.locator('h1')).toHaveText('Instance not found');
    await expect(card).toContainText('There is no process instance no-such-instance on this server.');
    await expect(card.locator('a[href="#/instances"]')).toBeVisible();
    for (const empty of ['#instance-diagram', '#incidents', '#variables', '#history', '#waiting'])
      await expect(page.locator(empty)).toHaveCount(0);
  });
});

test('an error toast stays on the page that caused it; a confirmation follows the user', async ({ page, request }) => {
  // given a deployed process and its start form with variables that are not JSON
  await deploy(request, readFileSync(fixturePath('payment.bpmn'), 'utf8'));
  await page.goto('/#/processes/payment');
  await page.locator('#start-variables').fill('{"orderId": ');
  await page.locator('#start-instance').click();
  await expect(page.locator('#toasts .toast-error')).toBeVisible();
  // when the user goes to another page
  await page.locator('nav a[data-nav="instances"]').click();
  await expect(page.locator('#instance-results')).toBeVisible();
  // then the error stays behind
  await expect(page.locator('#toasts .toast-error')).toHaveCount(0);
  // while "Started instance N" still shows on the instance page the start leads to
  await page.goto('/#/processes/payment');
  await page.locator('#start-variables').fill('{"orderId": "toast-1"}');
  await page.locator('#start-instance').click();
  await expect(page).toHaveURL(/#\/instances\/[^/]+$/);
  await expect(page.locator('#toasts .toast-ok')).toContainText('Started instance');
});

test('a highlighted flow has an arrowhead of its colour; the others stay black', async ({ page, request }) => {
  // given an instance that took the first flow of payment and waits at the message
  await deploy(request, readFileSync(fixturePath('payment.bpmn'), 'utf8'));
  const id = await startInstance(request, 'payment', { variables: { orderId: 'arrow-1' } });
  // when its page is shown
  await page.goto(`/#/instances/${id}`);
  await expect(page.locator('.djs-connection[data-element-id="P1"]')).toHaveClass(/baton-taken/);
  // then the taken flow's arrowhead is drawn in the line's green, and a flow not taken keeps black
  const taken = await flowColors(page, 'P1');
  expect(taken.line).not.toBe(BLACK);
  expect(taken.arrow).toBe(taken.line);
  expect(await flowColors(page, 'P2')).toEqual({ line: BLACK, arrow: BLACK });
  // and on the heatmap of the version the shaded flow's arrowhead follows its shade
  await page.goto('/#/heatmap/payment/1');
  await expect(page.locator('.djs-connection[data-element-id="P1"]')).toHaveClass(/heat-flow-/);
  const heat = await flowColors(page, 'P1');
  expect(heat.line).not.toBe(BLACK);
  expect(heat.arrow).toBe(heat.line);
});

/** Overlaps in the drawn diagram: label on label, label on a shape, label across a flow's line. */
async function overlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Box = { x: number; y: number; width: number; height: number };
    type El = Box & { id: string; type: string; labelTarget?: El; waypoints?: { x: number; y: number }[] };
    const registry = (window as any).batonModeler.get('elementRegistry');
    const all = registry.getAll() as El[];
    const labels = all
      .filter((e) => e.type === 'label')
      .map((label) => {
        const text = registry.getGraphics(label).querySelector('text') as SVGGraphicsElement;
        const b = text.getBBox();
        return {
          id: `label of ${label.labelTarget!.id}`,
          owner: label.labelTarget!,
          x: label.x + b.x,
          y: label.y + b.y,
          width: b.width,
          height: b.height,
        };
      });
    const shapes = all.filter((e) => e.type !== 'label' && !e.waypoints && e.type !== 'bpmn:Process' && e.width);
    const flows = all.filter((e) => e.waypoints);
    const meets = (a: Box, b: Box) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const found: string[] = [];
    labels.forEach((a, i) => {
      for (const b of labels.slice(i + 1)) if (meets(a, b)) found.push(`${a.id} overlaps ${b.id}`);
      // a label may sit inside a container (sub-process, pool, lane), not on top of anything else
      const containers = ['bpmn:SubProcess', 'bpmn:Transaction', 'bpmn:Participant', 'bpmn:Lane'];
      const inside = (o: Box, c: El) =>
        containers.includes(c.type) &&
        o.x >= c.x &&
        o.y >= c.y &&
        o.x + o.width <= c.x + c.width &&
        o.y + o.height <= c.y + c.height;
      for (const s of shapes) if (s !== a.owner && !inside(a, s) && meets(a, s)) found.push(`${a.id} overlaps ${s.id}`);
      for (const f of flows) {
        if (f === a.owner) continue;
        for (let k = 1; k < f.waypoints!.length; k++) {
          const p = f.waypoints![k - 1]!;
          const q = f.waypoints![k]!;
          const segment = {
            x: Math.min(p.x, q.x),
            y: Math.min(p.y, q.y),
            width: Math.abs(p.x - q.x) || 0.5,
            height: Math.abs(p.y - q.y) || 0.5,
          };
          if (meets(a, segment)) found.push(`${a.id} crosses ${f.id}`);
        }
      }
    });
    return found;
  });
}

test('no label of an example diagram sits on another label, a shape or a flow', async ({ page }) => {
  await page.goto('/modeler.html');
  await expect(page.locator('#canvas .djs-container')).toBeVisible();
  const files = readdirSync(join(ROOT, 'processes')).filter((f) => f.endsWith('.bpmn'));
  expect(files).toContain('order-approval.bpmn');
  const found: string[] = [];
  for (const file of files) {
    // given each example opened in the modeler
    await page.setInputFiles('#open-file', join(ROOT, 'processes', file));
    await expect(page.locator('#status')).toContainText(`Opened ${file}`);
    // then its labels are clear of everything else
    found.push(...(await overlaps(page)).map((o) => `${file}: ${o}`));
  }
  expect(found).toEqual([]);
});

test('an instance of a process deployed without a diagram layout still has its page', async ({ page, request }) => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs" targetNamespace="http://baton.test">
  <bpmn:process id="no-layout" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Task_Check" name="Check by hand" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_Check" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_Check" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
  await deploy(request, xml);
  const id = await startInstance(request, 'no-layout', { variables: { note: 'no picture' } });
  await page.goto(`/#/instances/${id}`);
  await expect(page.locator('#diagram-notice')).toContainText('has no diagram layout (BPMN DI)');
  await expect(page.locator('#waiting')).toContainText('Check by hand is waiting for someone');
  await expect(page.locator('#variables')).toContainText('no picture');
  await page.goto('/#/processes/no-layout');
  await expect(page.locator('#diagram-notice')).toBeVisible();
  await expect(page.locator('#start-instance')).toBeVisible();
});
