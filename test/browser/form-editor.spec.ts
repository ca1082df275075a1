/**
 * The analyst's form journey: design a form in the form editor (form-js: a field dragged from the
 * palette, its label, key and "required" set in the properties panel, the form's id), deploy it;
 * in the process modeler link it to a user task — the Form ID field offers the deployed form —
 * and deploy the process; then a task worker completes the task through that form, its
 * validation error shown and fixed.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, fixturePath, screenshot, startInstance, test, until, userTaskOf } from './support.ts';

/** Drags the palette entry of `type` onto the form canvas, in small steps as a hand would. */
async function dragField(page: Page, type: string): Promise<void> {
  const from = (await page.locator(`.fjs-palette-field[data-field-type="${type}"]`).boundingBox())!;
  const to = (await page.locator('.fjs-editor-container .fjs-form').first().boundingBox())!;
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const end = { x: to.x + to.width / 2, y: to.y + 60 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(start.x + ((end.x - start.x) * i) / 10, start.y + ((end.y - start.y) * i) / 10);
  await page.mouse.up();
}

/** Opens the group `groupId` of a properties panel (a click on a collapsed header). */
async function openGroup(panel: Locator, groupId: string): Promise<void> {
  const group = panel.locator(`[data-group-id="${groupId}"]`);
  if (!(await group.locator('.bio-properties-panel-group-entries').isVisible()))
    await group.locator('.bio-properties-panel-group-header').click();
  await expect(group.locator('.bio-properties-panel-group-entries')).toBeVisible();
}

/** Replaces the text of a CodeMirror (FEEL / templating) entry of a properties panel. */
async function typeInEditor(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

test('design a form, link it to a user task, deploy both, complete the task through it', async ({ page, request }) => {
  test.setTimeout(90_000);
  const formId = `intake-${Date.now().toString(36)}`;

  await test.step('design the form: a required "Customer name" field, the form id', async () => {
    await page.goto('/form.html');
    await expect(page.locator('#status')).toContainText(/New form|Restored/);
    await page.locator('#new-document').click();
    await dragField(page, 'textfield');
    const panel = page.locator('.fjs-properties-container');
    await expect(panel.locator('.bio-properties-panel-header-type')).toHaveText('Text field');
    await openGroup(panel, 'group-general');
    await typeInEditor(page, panel.locator('#bio-properties-panel-label'), 'Customer name');
    await panel.locator('#bio-properties-panel-key').fill('customerName');
    await openGroup(panel, 'group-validation');
    await panel.locator('#bio-properties-panel-required').check();
    await expect(page.locator('.fjs-editor-container')).toContainText('Customer name');
    await screenshot(page, 'form-editor');
    await page.locator('.fjs-editor-container .fjs-form').click({ position: { x: 300, y: 400 } });
    await openGroup(panel, 'group-general');
    await panel.locator('#bio-properties-panel-id').fill(formId);
    await panel.locator('#bio-properties-panel-id').press('Tab');
  });

  await test.step('deploy the form', async () => {
    await page.locator('#deploy').click();
    await expect(page.locator('#status')).toContainText(`Deployed form ${formId} version 1`);
  });

  await test.step('link it to the user task in the process modeler, offered among the deployed forms', async () => {
    await page.locator('.editor-tabs a[data-editor="process"]').click();
    await expect(page.locator('#canvas .djs-container')).toBeVisible();
    await page.setInputFiles('#open-file', fixturePath('intake.bpmn'));
    const discard = page.locator('dialog.modal button[data-confirm]');
    if (await discard.isVisible()) await discard.click();
    await expect(page.locator('#status')).toContainText('Opened intake.bpmn');
    await page.locator('g.djs-element[data-element-id="Task_Details"]').click();
    await openGroup(page.locator('#properties'), 'group-form');
    await page.locator('#bio-properties-panel-formType').selectOption('camunda-form-linked');
    const field = page.locator('#bio-properties-panel-formId');
    await expect(field).toHaveAttribute('list', 'baton-deployed-forms');
    await expect(page.locator(`#baton-deployed-forms option[value="${formId}"]`)).toHaveCount(1);
    await field.fill(formId);
    await field.press('Tab');
    await page.locator('#deploy').click();
    await expect(page.locator('#status')).toContainText('Deployed customer-intake version');
  });

  const id = await startInstance(request, 'customer-intake');
  const task = await userTaskOf(request, id);
  await test.step('the task shows the designed form; empty, it is refused; filled, it completes', async () => {
    await page.goto(`/#/tasks?task=${task.id}`);
    const detail = page.locator('#task-detail');
    await expect(detail.locator('.form-source')).toContainText(formId);
    await detail.locator('#complete-task').click();
    await expect(detail.locator('.fjs-form-field-error')).toContainText(['Field is required.']);
    await detail.getByLabel('Customer name').fill('Ada Lovelace');
    await detail.locator('#complete-task').click();
    await expect(page.locator('#task-completed')).toBeVisible();
  });
  const done = await until(async () => {
    const instance = await (await request.get(`/api/instances/${id}`)).json();
    return instance.status === 'completed' ? instance : undefined;
  }, 'the instance to complete');
  expect(done.variables).toEqual({ customerName: 'Ada Lovelace' });
});
