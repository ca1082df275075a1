/**
 * A model the engine refuses: the deployment's problems appear on the diagram (a red marker and a
 * badge on the element named) and in the problems panel, and nothing is deployed.
 */
import { EXAMPLE, expect, screenshot, test } from './support.ts';

// Chromium reports the refused deployment's HTTP 400 as a console error; that one is expected.
test.use({ allowConsoleErrors: [/status of 400 \(Bad Request\).*\/api\/deployments/] });

test('a broken model shows its error on the element', async ({ page, request }) => {
  await page.goto('/modeler.html');
  await page.setInputFiles('#open-file', EXAMPLE);
  await expect(page.locator('#status')).toContainText('Opened');

  // given: the process gets an id of its own, and "Reserve stock" loses its job type
  await page.evaluate(() => {
    const modeler = (window as any).batonModeler;
    modeler.get('selection').select(modeler.get('canvas').getRootElement());
  });
  const id = page.locator('#bio-properties-panel-id');
  if (!(await id.isVisible())) await page.locator('.bio-properties-panel-group-header', { hasText: 'General' }).click();
  await id.fill('order-broken');
  await id.press('Tab');
  await page.locator('.djs-element.djs-shape[data-element-id="Task_ReserveStock"]').click();
  const type = page.locator('#bio-properties-panel-taskDefinitionType');
  if (!(await type.isVisible()))
    await page.locator('.bio-properties-panel-group-header', { hasText: 'Task definition' }).click();
  await type.fill('');
  await type.press('Tab');

  // when
  await page.locator('#deploy').click();

  // then
  await expect(page.locator('#status')).toContainText('Deployment refused (INVALID_BPMN)');
  await expect(page.locator('.djs-element[data-element-id="Task_ReserveStock"]').first()).toHaveClass(/deploy-error/);
  await expect(page.locator('.deploy-error-badge[data-element-id="Task_ReserveStock"]')).toBeVisible();
  const problem = page.locator('#problems li[data-element-id="Task_ReserveStock"]');
  await expect(problem).toContainText('zeebe:taskDefinition');
  await expect(page.locator('.djs-element[data-element-id="Task_ScheduleShipping"]').first()).not.toHaveClass(
    /deploy-error/,
  );
  expect((await request.get('/api/processes/order-broken/xml')).status()).toBe(404);
  await screenshot(page, 'modeler-error');

  // fixing it in the properties panel clears the markers on the next deploy
  await page.locator('#problems li[data-element-id="Task_ReserveStock"] button').click();
  if (!(await type.isVisible()))
    await page.locator('.bio-properties-panel-group-header', { hasText: 'Task definition' }).click();
  await type.fill('reserve-stock');
  await type.press('Tab');
  await page.locator('#deploy').click();
  await expect(page.locator('#status')).toContainText('Deployed order-broken version 1');
  await expect(page.locator('.deploy-error-badge')).toHaveCount(0);
  await expect(page.locator('#problems')).toBeHidden();
});

test('an element changed after a refused deployment loses its marker at once; the others keep theirs', async ({
  page,
}) => {
  // given order-fulfilment under an id of its own, with the job types of two tasks removed
  await page.goto('/modeler.html');
  await page.setInputFiles('#open-file', EXAMPLE);
  await expect(page.locator('#status')).toContainText('Opened');
  await page.evaluate(() => {
    const modeler = (window as any).batonModeler;
    modeler.get('selection').select(modeler.get('canvas').getRootElement());
  });
  const id = page.locator('#bio-properties-panel-id');
  if (!(await id.isVisible())) await page.locator('.bio-properties-panel-group-header', { hasText: 'General' }).click();
  await id.fill('order-broken-twice');
  await id.press('Tab');
  const type = page.locator('#bio-properties-panel-taskDefinitionType');
  const setType = async (elementId: string, value: string) => {
    await page.locator(`.djs-element.djs-shape[data-element-id="${elementId}"]`).click();
    if (!(await type.isVisible()))
      await page.locator('.bio-properties-panel-group-header', { hasText: 'Task definition' }).click();
    await type.fill(value);
    await type.press('Tab');
  };
  await setType('Task_ReserveStock', '');
  await setType('Task_AuthorizePayment', '');
  await page.locator('#deploy').click();
  await expect(page.locator('#status')).toContainText('Deployment refused (INVALID_BPMN)');
  const marked = (elementId: string) => page.locator(`.djs-element[data-element-id="${elementId}"]`).first();
  await expect(marked('Task_ReserveStock')).toHaveClass(/deploy-error/);
  await expect(marked('Task_AuthorizePayment')).toHaveClass(/deploy-error/);

  // when one of them gets its job type back (no deployment yet)
  await setType('Task_ReserveStock', 'reserve-stock');

  // then its marker and badge are gone and its message says it changed; the other is still marked
  await expect(marked('Task_ReserveStock')).not.toHaveClass(/deploy-error/);
  await expect(page.locator('.deploy-error-badge[data-element-id="Task_ReserveStock"]')).toHaveCount(0);
  await expect(page.locator('#problems li[data-element-id="Task_ReserveStock"]')).toContainText(
    'changed since; deploy again to check',
  );
  await expect(marked('Task_AuthorizePayment')).toHaveClass(/deploy-error/);
  await expect(page.locator('.deploy-error-badge[data-element-id="Task_AuthorizePayment"]')).toBeVisible();
  await expect(page.locator('#problems li[data-element-id="Task_AuthorizePayment"]')).not.toContainText(
    'changed since',
  );
});
