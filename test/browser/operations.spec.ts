/**
 * The operations console on real data (seeded through the API: shipped, rejected-and-compensated,
 * failed and waiting orders): heatmap, dashboard, the instance page with its operator actions, the
 * instance list, and the message and signal forms.
 */
import type { APIRequestContext } from '@playwright/test';
import { seedOrders } from './seed.ts';
import { activateJob, deploy, expect, fixturePath, screenshot, startInstance, test, until } from './support.ts';
import { readFileSync } from 'node:fs';

const PROCESS = 'order-ops';
let ids: Record<string, string> = {};
let api: APIRequestContext;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  ids = await seedOrders(api, PROCESS);
});
test.afterAll(async () => {
  await api.dispose();
});

test('the heatmap shows per element how many passed, wait now and failed', async ({ page }) => {
  await page.goto('/#/processes');
  await page.locator(`#definitions tr[data-process="${PROCESS}"] a`, { hasText: 'Heatmap' }).click();
  await expect(page).toHaveURL(new RegExp(`#/heatmap/${PROCESS}/1$`));
  const cell = (id: string) => page.locator(`.heat[data-element-id="${id}"]`);
  await expect(cell('ReserveStock')).toHaveAttribute('data-passed', '9');
  await expect(cell('ApproveOrder')).toHaveAttribute('data-passed', '7');
  await expect(cell('ApproveOrder')).toHaveAttribute('data-waiting', '2');
  await expect(cell('ShipOrder')).toHaveAttribute('data-passed', '3');
  await expect(cell('ShipOrder')).toHaveAttribute('data-waiting', '3');
  await expect(cell('ShipOrder')).toHaveAttribute('data-failed', '2');
  await expect(cell('ReleaseStock')).toHaveAttribute('data-passed', '1');
  await expect(page.locator('.djs-element[data-element-id="ShipOrder"]').first()).toHaveClass(/heat-failed/);
  await expect(page.locator('#heatmap-summary')).toContainText('9 instance(s)');
  await screenshot(page, 'heatmap');
});

test('the dashboard shows in flight, completed, stalled, incidents and failing elements', async ({ page }) => {
  await page.goto('/#/dashboard');
  await expect(page.locator('#stat-in-flight .stat-value')).not.toHaveText('0');
  expect(Number(await page.locator('#stat-in-flight .stat-value').textContent())).toBeGreaterThanOrEqual(5);
  expect(Number(await page.locator('#stat-completed .stat-value').textContent())).toBeGreaterThanOrEqual(4);
  await expect(page.locator('#open-incidents')).toContainText('Carrier API timed out');
  await expect(page.locator('#open-incidents')).toContainText('Address not found');
  await expect(page.locator('#failing-elements tr[data-element-id="ShipOrder"]').first()).toContainText('Ship order');
  // the incident table names elements as the table beside it does, with the id below
  const element = page.locator('#open-incidents td[data-element-id="ShipOrder"]').first();
  await expect(element).toContainText('Ship order');
  await expect(element.locator('.mono')).toHaveText('ShipOrder');
  await expect(page.locator('#stalled')).toContainText('Every running instance made progress recently');
  // a threshold of three seconds: the seeded instances that wait become stalled
  await page.waitForTimeout(3_100);
  await page.locator('#stalled-minutes').fill('0.05');
  await page.locator('#stalled-minutes').dispatchEvent('change');
  await expect(page.locator(`#stalled tr[data-instance="${ids['A-1007']}"]`)).toContainText('ApproveOrder');
  await expect(page.locator('#stat-stalled .stat-label')).toContainText('stalled > 3 s');
  await screenshot(page, 'dashboard');
});

test('operator actions ask for a reason and are recorded with who and why', async ({ page }) => {
  const id = ids['A-1005']!;
  await page.goto(`/#/instances/${id}`);
  await expect(page.locator('.incident-badge[data-element-id="ShipOrder"]')).toBeVisible();
  await expect(page.locator('#incidents')).toContainText('Carrier API timed out');

  // suspend, with a reason and a name
  await page.locator('#action-suspend').click();
  await page.locator('#reason-input').fill('Carrier outage, waiting for their status page');
  await page.locator('#reason-actor').fill('Dana Ops');
  await page.locator('dialog [data-confirm]').click();
  await expect(page.locator('#instance-head .badge-suspended')).toBeVisible();
  await expect(page.locator('#history li[data-type="process-suspended"]')).toContainText('Dana Ops: Carrier outage');
  expect(await page.evaluate(() => localStorage.getItem('baton.actor'))).toBe('Dana Ops');

  // edit a variable
  await page.locator('#new-variable-name').fill('carrier');
  await page.locator('#new-variable-value').fill('"parcel-express"');
  await page.locator('.add-variable button[type="submit"]').click();
  await page.locator('#reason-input').fill('Switch to the backup carrier');
  await page.locator('dialog [data-confirm]').click();
  await expect(page.locator('#variables tr[data-variable="carrier"]')).toContainText('parcel-express');
  await expect(page.locator('#history li[data-type="variables-updated"]')).toContainText(
    'Dana Ops: Switch to the backup carrier',
  );
  await page.locator('#variables [data-edit-variable="amount"]').click();
  await page.locator('#variables textarea[data-edit="amount"]').fill('99.5');
  await page.locator('#variables [data-save="amount"]').click();
  await page.locator('#reason-input').fill('Customer upgraded shipping');
  await page.locator('dialog [data-confirm]').click();
  await expect(page.locator('#variables tr[data-variable="amount"]')).toContainText('99.5');

  // resume
  await page.locator('#action-resume').click();
  await page.locator('#reason-input').fill('Carrier is back');
  await page.locator('dialog [data-confirm]').click();
  await expect(page.locator('#instance-head .badge-active')).toBeVisible();
  await expect(page.locator('#history li[data-type="process-resumed"]')).toContainText('Dana Ops: Carrier is back');
  await screenshot(page, 'instance');

  // retry the incident; the worker then ships the order
  await page.locator('#incidents [data-retry]').click();
  await page.locator('#reason-input').fill('Retry with the backup carrier');
  await page.locator('dialog [data-confirm]').click();
  await expect(page.locator('#incidents')).toContainText('No open incidents');
  await expect(page.locator('#history li[data-type="incident-resolved"]')).toBeVisible();
  const job = await activateJob(api, `ship-${PROCESS}`, id);
  expect(
    (
      await api.post(`/api/jobs/${job.key}/complete`, { data: { variables: { trackingNumber: 'TRK-RETRIED' } } })
    ).status(),
  ).toBe(200);
  await expect(page.locator('#instance-head .badge-completed')).toBeVisible();
  await expect(page.locator('.djs-connection[data-element-id="F6"]')).toHaveClass(/baton-taken/);

  // a cancelled dialog does nothing
  const other = ids['A-1008']!;
  await page.goto(`/#/instances/${other}`);
  await page.locator('#action-cancel').click();
  await page.locator('dialog button[value="cancel"]').click();
  await expect(page.locator('#instance-head .badge-active')).toBeVisible();
  // cancel
  await page.locator('#action-cancel').click();
  await page.locator('#reason-input').fill('Customer withdrew the order');
  await page.locator('dialog [data-confirm]').click();
  await expect(page.locator('#instance-head .badge-cancelled')).toBeVisible();
  const history = await (await api.get(`/api/instances/${other}/history`)).json();
  expect(history.find((e: { type: string }) => e.type === 'process-cancelled')).toMatchObject({
    reason: 'Customer withdrew the order',
    actor: 'Dana Ops',
  });
});

test('the instance list filters by process, version, status, business key and incidents, and pages', async ({
  page,
}) => {
  for (let i = 0; i < 22; i++)
    await startInstance(api, PROCESS, { businessKey: `bulk-${i}`, variables: { orderId: `bulk-${i}` } });
  await page.goto(`/#/instances?processId=${PROCESS}`);
  await expect(page.locator('#page-info')).toHaveText(/Page 1 of 2 · 31 instances/);
  await expect(page.locator('#instances tbody tr')).toHaveCount(20);
  await page.locator('[data-page="Next ›"]').click();
  await expect(page.locator('#page-info')).toHaveText(/Page 2 of 2/);
  await expect(page.locator('#instances tbody tr')).toHaveCount(11);

  await page.goto('/#/instances');
  await page.locator('#filter-process').selectOption(PROCESS);
  await page.locator('#filter-version').selectOption('1');
  await page.locator('#filter-incidents').check();
  await page.locator('#instance-filters button[type="submit"]').click();
  await expect(page.locator('#instances tbody tr')).toHaveCount(1);
  await expect(page.locator(`#instances tr[data-instance="${ids['A-1006']}"]`)).toContainText('1 open');

  await page.locator('#filter-incidents').uncheck();
  await page.locator('#filter-status').selectOption('completed');
  await page.locator('#filter-business-key').fill('A-1003');
  await page.locator('#instance-filters button[type="submit"]').click();
  await expect(page.locator('#instances tbody tr')).toHaveCount(1);
  await page.locator(`#instances tr[data-instance="${ids['A-1003']}"] a`).click();
  // the rejected order was compensated: "Release stock" ran for "Reserve stock"
  await expect(page.locator('.djs-element[data-element-id="ReleaseStock"]').first()).toHaveClass(/baton-done/);
  await expect(page.locator('#history li[data-type="element-compensated"]')).toBeVisible();
});

test('publish a message and broadcast a signal from the console', async ({ page }) => {
  await deploy(api, readFileSync(fixturePath('payment.bpmn'), 'utf8'));
  const id = await startInstance(api, 'payment', { variables: { orderId: 'pay-77' } });
  await page.goto('/#/processes');
  await page.locator('#message-form [name="messageName"]').fill('payment-received');
  await page.locator('#message-form [name="correlationKey"]').fill('pay-77');
  await page.locator('#message-form [name="messageVariables"]').fill('{"paidAmount": 77}');
  await page.locator('#message-form button[type="submit"]').click();
  await expect(page.locator('[data-result="message"]')).toHaveText(`Correlated to 1 instance(s) (${id}); started 0.`);
  await page.locator('#signal-form [name="signalName"]').fill('stock-arrived');
  await page.locator('#signal-form button[type="submit"]').click();
  await expect(page.locator('[data-result="signal"]')).toHaveText('Triggered 1 subscription(s).');
  await until(
    async () => (await (await api.get(`/api/instances/${id}`)).json()).status === 'completed',
    'payment completed',
  );
  await page.goto(`/#/instances/${id}`);
  await expect(page.locator('#variables tr[data-variable="paidAmount"]')).toContainText('77');
});
