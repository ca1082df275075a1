/**
 * Camunda Forms in the tasklist: a user task linked to a deployed `.form` (as Camunda Modeler writes
 * it) shows that form, rendered by form-js and prefilled from the task's variables; the form's
 * validation (required, min/max, email) stops completion with a message under the field; fixed, the
 * task completes with the form's data as variables. A task with only an application formKey keeps
 * the generated form.
 */
import { readFileSync } from 'node:fs';
import { expect, fixturePath, screenshot, startInstance, test, until, userTaskOf } from './support.ts';

/** Deploys resources (BPMN, DMN, forms) together as the JSON envelope. */
async function deployResources(
  request: import('@playwright/test').APIRequestContext,
  resources: { name: string; content: string }[],
): Promise<void> {
  const res = await request.post('/api/deployments', { data: { resources } });
  expect(res.status(), await res.text()).toBeLessThan(300);
}

test('a task linked to a deployed form is completed through that form, with its validation', async ({
  page,
  request,
}) => {
  await deployResources(request, [
    { name: 'order-review.bpmn', content: readFileSync(fixturePath('order-review.bpmn'), 'utf8') },
    { name: 'order-review.form', content: readFileSync(fixturePath('order-review.form'), 'utf8') },
  ]);
  const id = await startInstance(request, 'order-review', { variables: { orderId: 'R-7', amount: 25_000 } });
  const task = await userTaskOf(request, id);

  await page.goto(`/#/tasks?task=${task.id}`);
  const detail = page.locator('#task-detail');
  await test.step('the designed form is shown, prefilled from the variables', async () => {
    await expect(detail.locator('.form-source')).toContainText('order-review');
    await expect(detail.locator('.fjs-container')).toContainText('Review order R-7');
    await expect(detail.getByLabel('Amount')).toHaveValue('25000');
    await expect(detail.locator('#task-fields')).toHaveCount(0);
  });

  await test.step('invalid fields stop completion, each with its message', async () => {
    await detail.locator('#complete-task').click();
    await expect(page.locator('.toast-error')).toContainText('Some fields are not valid');
    await expect(detail.locator('.fjs-form-field-error')).toContainText([
      'Field must have maximum value of 10000.',
      'Field is required.',
      'Field is required.',
    ]);
    await page.evaluate(() => document.querySelector('#toasts')?.replaceChildren());
    await screenshot(page, 'tasklist-form');
  });

  await test.step('fixed, the task completes with the form data', async () => {
    await detail.getByLabel('Amount').fill('2500');
    await detail.getByLabel('Reviewer email').fill('not an email');
    await detail.locator('#complete-task').click();
    await expect(detail.locator('.fjs-form-field-error')).toContainText(['must be a valid email']);
    await detail.getByLabel('Reviewer email').fill('rita@example.com');
    await detail.locator('.fjs-form-field-select .fjs-input-group').click();
    await page.locator('.fjs-dropdownlist-item', { hasText: 'Reject' }).click();
    await expect(detail.getByLabel('Why reject?')).toBeVisible();
    await detail.getByLabel('Why reject?').fill('too expensive');
    await detail.locator('#complete-task').click();
    await expect(page.locator('#task-completed')).toContainText('Completed Review order');
  });

  const done = await until(async () => {
    const instance = await (await request.get(`/api/instances/${id}`)).json();
    return instance.status === 'completed' ? instance : undefined;
  }, 'the instance to complete');
  expect(done.variables).toMatchObject({
    orderId: 'R-7',
    amount: 2500,
    reviewer: 'rita@example.com',
    decision: 'reject',
    reason: 'too expensive',
  });
});
