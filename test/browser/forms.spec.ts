/**
 * Camunda Forms in the tasklist: a user task linked to a deployed `.form` (as Camunda Modeler writes
 * it) shows that form, rendered by form-js and prefilled from the task's variables; the form's
 * validation (required, min/max, email) stops completion with a message under the field; fixed, the
 * task completes with the form's data as variables. A process whose start event names a form offers
 * it in the console's start form.
 */
import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { expect, fixturePath, screenshot, startInstance, test, until, userTaskOf } from './support.ts';

/** Deploys the order review process with its start form and task form, together as the JSON envelope. */
async function deployOrderReview(request: APIRequestContext): Promise<void> {
  const resources = ['order-review.bpmn', 'order-review.form', 'order-request.form'].map((name) => ({
    name,
    content: readFileSync(fixturePath(name), 'utf8'),
  }));
  const res = await request.post('/api/deployments', { data: { resources } });
  expect(res.status(), await res.text()).toBeLessThan(300);
}

test('a task linked to a deployed form is completed through that form, with its validation', async ({
  page,
  request,
}) => {
  await deployOrderReview(request);
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

test('a start event with a form offers it when starting an instance', async ({ page, request }) => {
  await deployOrderReview(request);
  await page.goto('/#/processes/order-review');
  const form = page.locator('#start-form');
  await expect(form.locator('#start-form-fields .fjs-container')).toBeVisible();

  await test.step('an invalid field stops the start, with its message', async () => {
    await form.getByLabel('Order number').fill('42');
    await form.getByLabel('Amount').fill('120');
    await page.locator('#start-instance').click();
    await expect(page.locator('.toast-error')).toContainText('Some fields are not valid');
    await expect(form.locator('.fjs-form-field-error')).toContainText(['Field must match pattern ^R-[0-9]+$.']);
    await expect(page).toHaveURL(/#\/processes\/order-review$/);
  });

  await test.step('fixed, the instance starts with the form data and the extra JSON', async () => {
    await form.getByLabel('Order number').fill('R-42');
    await page.locator('#start-variables').fill('{"channel": "phone"}');
    await page.locator('#start-instance').click();
    await expect(page).toHaveURL(/#\/instances\/[^/]+$/);
  });
  const id = decodeURIComponent(page.url().split('/').pop()!);
  const instance = await (await request.get(`/api/instances/${id}`)).json();
  expect(instance.variables).toEqual({ orderId: 'R-42', amount: 120, channel: 'phone' });
});
