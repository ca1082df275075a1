/**
 * A process deploys together with its decision and form from the modeler: *Open…* with the .bpmn,
 * .dmn and .form files chosen at once opens the diagram and keeps the other two beside it; *Deploy*
 * sends all three as one deployment. The business rule task's Decision ID then offers the
 * deployed decisions.
 */
import { join } from 'node:path';
import { expect, ROOT, test } from './support.ts';

const example = (name: string) => join(ROOT, 'processes', name);

test('a diagram opened with its .dmn and .form deploys together with them', async ({ page, request }) => {
  await page.goto('/modeler.html');
  await expect(page.locator('#canvas .djs-container')).toBeVisible();
  await page.setInputFiles('#open-file', [
    example('loan-application.bpmn'),
    example('loan-risk.dmn'),
    example('underwriter-review.form'),
  ]);
  const discard = page.locator('dialog.modal button[data-confirm]');
  if (await discard.isVisible()) await discard.click();
  await expect(page.locator('#status')).toContainText('Opened loan-application.bpmn');
  await expect(page.locator('#companions code')).toHaveText(['loan-risk.dmn', 'underwriter-review.form']);

  await page.locator('#deploy').click();
  const status = page.locator('#status');
  await expect(status).toContainText(/(Deployed|already deployed as) loan-application version \d+/);
  await expect(status).toContainText(/decision loanOffer version \d+/);
  await expect(status).toContainText(/form underwriter-review version \d+/);
  const decisions = await (await request.get('/api/decisions')).json();
  expect(decisions.map((d: { decisionId: string }) => d.decisionId)).toContain('riskClass');

  await test.step('the business rule task offers the deployed decisions', async () => {
    await page.locator('g.djs-element[data-element-id="Task_Assess"]').click();
    const field = page.locator('#bio-properties-panel-decisionId');
    if (!(await field.isVisible()))
      await page.locator('#properties .bio-properties-panel-group-header', { hasText: 'Called decision' }).click();
    await expect(field).toHaveValue('loanOffer');
    await expect(field).toHaveAttribute('list', 'baton-deployed-decisions');
    await expect(page.locator('#baton-deployed-decisions option[value="loanOffer"]')).toHaveCount(1);
    await expect(page.locator('#baton-deployed-decisions option[value="riskClass"]')).toHaveCount(1);
  });

  await test.step('× drops them: the diagram deploys alone again', async () => {
    await page.locator('#drop-companions').click();
    await expect(page.locator('#companions')).toBeHidden();
  });
});
