/**
 * Operating processes in the console (issue 15): an operator moves a stuck token on the diagram,
 * migrates an instance to a fixed version after reviewing (and correcting) the mapping, retries every
 * incident of one element from the instance list as a batch operation, and finds all of it in the
 * audit log.
 */
import type { APIRequestContext } from '@playwright/test';
import {
  activateJob,
  deploy,
  expect,
  orderXml,
  screenshot,
  startInstance,
  test,
  until,
  userTaskOf,
} from './support.ts';

let api: APIRequestContext;
test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
});
test.afterAll(async () => {
  await api.dispose();
});

/** Confirms the open dialog with a reason and a name. */
async function confirm(page: import('@playwright/test').Page, reason: string): Promise<void> {
  await page.locator('#reason-input').fill(reason);
  await page.locator('#reason-actor').fill('Dana Ops');
  await page.locator('dialog [data-confirm]').click();
}

test('an operator moves a stuck token on the diagram, recorded with who and why', async ({ page }) => {
  const processId = 'order-mod';
  await deploy(api, orderXml(processId));
  const id = await startInstance(api, processId, { variables: { orderId: 'M-1', amount: 50 } });
  await userTaskOf(api, id);
  await page.goto(`/#/instances/${id}`);
  await expect(page.locator('.token-badge[data-element-id="ApproveOrder"]')).toBeVisible();
  // when the operator clicks the waiting task and moves its token to shipping
  await page.locator('.djs-element[data-element-id="ApproveOrder"]').first().click();
  await page.locator('#modify-action').selectOption('move');
  await page.locator('#modify-target').selectOption('ShipOrder');
  await screenshot(page, 'instance-modify');
  await confirm(page, 'Approved by phone');
  // then the token waits at shipping and the history says who moved it and why
  await expect(page.locator('.token-badge[data-element-id="ShipOrder"]')).toBeVisible();
  await expect(page.locator('.token-badge[data-element-id="ApproveOrder"]')).toHaveCount(0);
  await expect(page.locator('#history li[data-type="instance-modified"]')).toContainText('Dana Ops: Approved by phone');
  expect((await (await api.get(`/api/user-tasks?instanceId=${id}`)).json()).length).toBe(0);
  // and a cancelled dialog changes nothing
  await page.locator('.djs-element[data-element-id="ShipOrder"]').first().click();
  await page.locator('#modify-action').selectOption('cancel');
  await page.locator('dialog button[value="cancel"]').click();
  await expect(page.locator('.token-badge[data-element-id="ShipOrder"]')).toBeVisible();
});

test('an operator migrates an instance to a fixed version after reviewing and correcting the mapping', async ({
  page,
}) => {
  const processId = 'order-mig';
  await deploy(api, orderXml(processId));
  // v2 renames the approval task: its mapping has to be chosen by the operator
  const v2 = orderXml(processId)
    .replaceAll('"ApproveOrder"', '"ApproveOrderV2"')
    .replaceAll('ApproveOrder_di', 'ApproveOrderV2_di');
  expect(await deploy(api, v2)).toBe(2);
  const id = await startInstance(api, processId, { version: 1, variables: { orderId: 'G-1', amount: 50 } });
  const task = await userTaskOf(api, id);
  await page.goto(`/#/instances/${id}`);
  await page.locator('#action-migrate').click();
  await expect(page.locator('#migrate-version')).toHaveValue('2');
  // the review says the waiting task cannot migrate as it is
  await expect(page.locator('#migrate-problems')).toContainText('ApproveOrder');
  await page.locator('#migrate-mapping select[data-source="ApproveOrder"]').selectOption('ApproveOrderV2');
  await expect(page.locator('#migrate-ok')).toBeVisible();
  await screenshot(page, 'instance-migrate');
  await confirm(page, 'v2 fixes the approval step');
  await expect(page.locator('#instance-head .meta')).toContainText('v2');
  await expect(page.locator('.token-badge[data-element-id="ApproveOrderV2"]')).toBeVisible();
  // the same task is still open, now on v2's element
  const tasks = await (await api.get(`/api/user-tasks?instanceId=${id}`)).json();
  expect(tasks.map((t: { id: string; elementId: string }) => [t.id, t.elementId])).toEqual([
    [task.id, 'ApproveOrderV2'],
  ]);
  await expect(page.locator('#history li[data-type="process-migrated"]')).toContainText('v1 → v2');
});

test('an operator retries every incident of one element from the instance list', async ({ page }) => {
  const processId = 'order-batch';
  await deploy(api, orderXml(processId));
  const ids: string[] = [];
  for (const key of ['B-1', 'B-2', 'B-3']) {
    const id = await startInstance(api, processId, { businessKey: key, variables: { orderId: key, amount: 50 } });
    const task = await userTaskOf(api, id);
    expect(
      (await api.post(`/api/user-tasks/${task.id}/complete`, { data: { variables: { approved: true } } })).status(),
    ).toBe(200);
    const job = await activateJob(api, `ship-${processId}`, id);
    expect(
      (await api.post(`/api/jobs/${job.key}/fail`, { data: { retries: 0, errorMessage: 'Carrier down' } })).status(),
    ).toBe(200);
    ids.push(id);
  }
  await until(async () => {
    const all = await Promise.all(
      ids.map(async (id) => (await (await api.get(`/api/instances/${id}`)).json()).incidents.length),
    );
    return all.every((n) => n === 1);
  }, 'three incidents');
  await page.goto(`/#/instances?processId=${processId}&incidents=1`);
  await expect(page.locator('#page-info')).toContainText('3 instances');
  await page.locator('#batch-open').click();
  await page.locator('#batch-type').selectOption('retry');
  await page.locator('#batch-element').fill('ShipOrder');
  await confirm(page, 'The carrier is back');
  await expect(page).toHaveURL(/#\/operations\//);
  await expect(page.locator('#operation-head .badge-completed')).toBeVisible();
  await expect(page.locator('#operation-counts')).toContainText('3 done');
  await screenshot(page, 'batch-operation');
  for (const id of ids) expect((await (await api.get(`/api/instances/${id}`)).json()).incidents).toEqual([]);
  await page.goto('/#/operations');
  await expect(page.locator('#operations-table tr[data-batch] .progress').first()).toHaveAttribute(
    'data-finished',
    '3',
  );
});

test('the audit log shows every operator action with who and why', async ({ page }) => {
  await page.goto('/#/audit');
  for (const action of ['modify', 'migrate', 'batch-create', 'deploy'])
    await expect(page.locator(`#audit-table tr[data-action="${action}"]`).first()).toBeVisible();
  await expect(page.locator('#audit-table tr[data-action="migrate"]').first()).toContainText('Dana Ops');
  await expect(page.locator('#audit-table tr[data-action="migrate"]').first()).toContainText(
    'v2 fixes the approval step',
  );
  await page.locator('#audit-action').selectOption('modify');
  await page.locator('#audit-filters button[type="submit"]').click();
  await expect(page.locator('#audit-table tr[data-action]')).toHaveCount(
    (await (await api.get('/api/audit?action=modify')).json()).total,
  );
  await screenshot(page, 'audit');
});
