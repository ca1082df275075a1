/**
 * The analyst's journey, all in the browser: open the modeler, import processes/order-fulfilment.bpmn,
 * change a job type in the properties panel, deploy, start an instance from the console, see its
 * token on the diagram, complete the user task in the tasklist, and see the instance completed with
 * its path highlighted.
 */
import { EXAMPLE, expect, screenshot, test } from './support.ts';

test('from a .bpmn file to a completed, observed instance', async ({ page, request }) => {
  await test.step('open the modeler and import the example', async () => {
    await page.goto('/modeler.html');
    await expect(page.locator('#canvas .djs-container')).toBeVisible();
    await page.setInputFiles('#open-file', EXAMPLE);
    await expect(page.locator('#status')).toContainText('Opened order-fulfilment.bpmn');
    await expect(page.locator('.djs-shape[data-element-id="Task_ScheduleShipping"]')).toBeVisible();
  });

  await test.step('change the job type of "Schedule shipping" in the properties panel', async () => {
    await page.locator('.djs-element.djs-shape[data-element-id="Task_ScheduleShipping"]').click();
    const type = page.locator('#bio-properties-panel-taskDefinitionType');
    if (!(await type.isVisible()))
      await page.locator('.bio-properties-panel-group-header', { hasText: 'Task definition' }).click();
    await expect(type).toHaveValue('schedule-shipping');
    await type.fill('ship-order');
    await type.press('Tab');
    const xml = await page.evaluate(async () => (await (window as any).batonModeler.saveXML()).xml as string);
    expect(xml).toContain('type="ship-order"');
    await screenshot(page, 'modeler');
  });

  let version = 0;
  await test.step('deploy', async () => {
    await page.locator('#deploy').click();
    await expect(page.locator('#status')).toContainText(/Deployed order-fulfilment version \d+/);
    version = Number(/version (\d+)/.exec((await page.locator('#status').textContent())!)![1]);
    const deployed = await (await request.get(`/api/processes/order-fulfilment/xml?version=${version}`)).text();
    expect(deployed).toContain('type="ship-order"');
  });

  await test.step('start an instance from the console and see its token', async () => {
    await page.locator('#status a[data-start-link="order-fulfilment"]').click();
    await expect(page.locator('#start-form')).toBeVisible();
    await expect(page.locator('#start-version')).toHaveValue(String(version));
    await page.locator('#start-business-key').fill('order-1001');
    await page.locator('#start-variables').fill('{"orderId": "order-1001", "amount": 2500}');
    await page.locator('#start-instance').click();
    await expect(page).toHaveURL(/#\/instances\/[^/]+$/);
    // reserve-stock runs in-process; a large order then waits for sales to confirm it
    await expect(page.locator('.token-badge[data-element-id="Task_ConfirmLargeOrder"]')).toHaveText('1');
    await expect(page.locator('.djs-element[data-element-id="Task_ConfirmLargeOrder"]').first()).toHaveClass(
      /baton-active/,
    );
    await expect(page.locator('.djs-element[data-element-id="Task_ReserveStock"]').first()).toHaveClass(/baton-done/);
    await expect(page.locator('#variables')).toContainText('RES-order-1001');
  });
  const instanceUrl = page.url();

  await test.step('complete the user task in the tasklist', async () => {
    await page.locator('nav a[data-nav="tasks"]').click();
    await page.locator('#task-group').fill('sales');
    await page.locator('#task-filters button[type="submit"]').click();
    await expect(page).toHaveURL(/candidateGroup=sales/);
    await page.locator('#task-list li[data-element-id="Task_ConfirmLargeOrder"] button').first().click();
    await expect(page.locator('#task-detail h2')).toHaveText('Confirm large order');
    await page.locator('#claim').click();
    await expect(page.locator('#task-detail .meta')).toContainText('assigned to operator');
    await page.locator('#unclaim').click();
    await expect(page.locator('#task-detail .meta')).toContainText('unassigned');
    await page.locator('#claim').click();
    await expect(page.locator('#task-detail .meta')).toContainText('assigned to operator');
    await expect(page.locator('#var-orderId')).toHaveValue('order-1001');
    await expect(page.locator('#var-amount')).toHaveValue('2500');
    await page.locator('#task-extra').fill('{"confirmedBy": "sales desk"}');
    await screenshot(page, 'tasklist');
    await page.locator('#complete-task').click();
    await expect(page.locator('#toasts')).toContainText('Completed Confirm large order');
  });

  await test.step('see the instance completed with its path highlighted', async () => {
    await page.goto(instanceUrl);
    await expect(page.locator('#instance-head .badge-completed')).toBeVisible();
    const path = [
      'Start',
      'Task_ReserveStock',
      'Gateway_LargeOrder',
      'Task_ConfirmLargeOrder',
      'Gateway_Merge',
      'Task_AuthorizePayment',
      'Task_ScheduleShipping',
      'End_Fulfilled',
    ];
    for (const id of path)
      await expect(page.locator(`.djs-element[data-element-id="${id}"]`).first()).toHaveClass(/baton-done/);
    for (const flow of [
      'Flow_Start',
      'Flow_Reserved',
      'Flow_LargeOrder',
      'Flow_Confirmed',
      'Flow_ToPayment',
      'Flow_Authorized',
      'Flow_Scheduled',
    ]) {
      await expect(page.locator(`.djs-connection[data-element-id="${flow}"]`)).toHaveClass(/baton-taken/);
    }
    await expect(page.locator('.djs-connection[data-element-id="Flow_NormalOrder"]')).not.toHaveClass(/baton-taken/);
    await expect(page.locator('.djs-element[data-element-id="Task_ReleaseStock"]').first()).not.toHaveClass(
      /baton-done/,
    );
    await expect(page.locator('.token-badge')).toHaveCount(0);
    await expect(page.locator('#variables')).toContainText('TRK-order-1001');
    await expect(page.locator('#variables')).toContainText('sales desk');
    await expect(page.locator('#history li[data-type="process-completed"]')).toBeVisible();
    await screenshot(page, 'instance-completed');
  });
});
