/**
 * Every page of the app loads from the real server without console errors or page errors (the
 * `test` of ./support.ts fails on either), and the navigation reaches each of them.
 */
import { readFileSync } from 'node:fs';
import { deploy, expect, fixturePath, screenshot, startInstance, test } from './support.ts';

test('every page loads without console errors', async ({ page, request }) => {
  await deploy(request, readFileSync(fixturePath('payment.bpmn'), 'utf8'));
  const id = await startInstance(request, 'payment', { businessKey: 'pages-1', variables: { orderId: 'pages-1' } });

  await page.goto('/');
  await expect(page).toHaveURL(/#\/processes$/);
  await expect(page.locator('#definitions tr[data-process="payment"]')).toBeVisible();
  await screenshot(page, 'processes');
  for (const [nav, ready] of [
    ['instances', '#instance-results'],
    ['tasks', '#task-list'],
    ['dashboard', '#stat-in-flight'],
    ['processes', '#definitions'],
    ['modeler', '#canvas .djs-container'],
  ] as const) {
    await page.locator(`nav a[data-nav="${nav}"]`).click();
    await expect(page.locator(ready)).toBeVisible();
    await expect(page.locator(`nav a[data-nav="${nav}"]`)).toHaveClass(/active/);
  }
  // the modeler opens a deployed version for editing
  await page.goto('/modeler.html#/edit/payment/1');
  await expect(page.locator('#status')).toContainText('Editing payment version 1');
  await expect(page.locator('.djs-element[data-element-id="PaymentReceived"]').first()).toBeVisible();
  // the editor switch reaches the decision and form editors, and back
  for (const [editor, ready] of [
    ['decision', '#canvas .tjs-table'],
    ['form', '#canvas .fjs-palette-field'],
    ['process', '#canvas .djs-container'],
  ] as const) {
    await page.locator(`.editor-tabs a[data-editor="${editor}"]`).click();
    await expect(page.locator(ready).first()).toBeVisible();
    await expect(page.locator(`.editor-tabs a[data-editor="${editor}"]`)).toHaveClass(/active/);
    await expect(page.locator('nav a[data-nav="modeler"]')).toHaveClass(/active/);
  }

  for (const path of [
    '/#/processes/payment',
    `/#/instances/${id}`,
    '/#/heatmap/payment/1',
    '/#/instances?processId=payment&incidents=1',
    '/#/nowhere',
  ]) {
    await page.goto(path);
    await expect(page.locator('#view > *').first()).toBeVisible();
  }
  await expect(page.locator('#view')).toContainText('Not found');
  await page.goto(`/#/instances/${id}`);
  await expect(page.locator('.token-badge[data-element-id="PaymentReceived"]')).toHaveText('1');
});
