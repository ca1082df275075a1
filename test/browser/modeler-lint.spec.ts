/**
 * Linting as the user draws (@camunda/linting, as Camunda Modeler lints): a service task without
 * a job type is an error on the diagram and in the toolbar before any deployment; a click on the
 * count shows it in the properties panel; setting the type there clears it, and the diagram deploys.
 */
import { expect, fixturePath, test } from './support.ts';

test('a lint error shows on the element as soon as the diagram has it, and goes when fixed', async ({ page }) => {
  await page.goto('/modeler.html');
  await expect(page.locator('#canvas .djs-container')).toBeVisible();
  await page.setInputFiles('#open-file', fixturePath('lint-service.bpmn'));
  const discard = page.locator('dialog.modal button[data-confirm]');
  if (await discard.isVisible()) await discard.click();
  await expect(page.locator('#status')).toContainText('Opened lint-service.bpmn');

  const summary = page.locator('#lint-summary');
  const marker = page.locator('.djs-overlays[data-container-id="Task_Details"] .cl-icon-error');
  await test.step('the missing job type is an error on the task and in the toolbar', async () => {
    await expect(summary).toHaveText('Lint: 1 error(s), 0 warning(s)');
    await expect(summary).toHaveAttribute('title', /Task_Details: A <Service Task> must have a <Task definition type>/);
    await expect(marker).toHaveCount(1);
  });

  await test.step('a click on the count shows the entry to fix; fixing it clears the error', async () => {
    await summary.click();
    const type = page.locator('#bio-properties-panel-taskDefinitionType');
    await expect(type).toBeFocused();
    await type.fill('take-details');
    await type.press('Tab');
    await expect(summary).toBeHidden();
    await expect(marker).toHaveCount(0);
  });

  await page.locator('#deploy').click();
  await expect(page.locator('#status')).toContainText('Deployed lint-intake version');
});
