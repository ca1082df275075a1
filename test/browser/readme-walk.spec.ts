/**
 * The README's walk in the browser, step by step as written there, against a server as `npm start`
 * runs it on a fresh clone (no handlers, empty database): open processes/order-approval.bpmn in the
 * modeler, deploy, start, see that "Check stock" waits for a worker of type check-stock, be that
 * worker with the commands the page shows, complete "Approve order" in the tasklist, and follow
 * the instance to its end.
 */
import { join } from 'node:path';
import { PLAIN_PORT } from './playwright.config.ts';
import { expect, ROOT, screenshot, test } from './support.ts';

test.use({ baseURL: `http://127.0.0.1:${PLAIN_PORT}` });

/** The URL and JSON body of a `curl -s -X POST URL … -d '{…}'` command shown on the page. */
function parseCurl(command: string): { url: string; body: unknown } {
  const match = /^curl -s -X POST (\S+) -H 'content-type: application\/json' -d '(.*)'$/.exec(command.trim());
  expect(match, command).not.toBeNull();
  return { url: match![1]!, body: JSON.parse(match![2]!) };
}

test('the README browser walk works on a fresh server, as written', async ({ page, request }) => {
  await test.step('open processes/order-approval.bpmn in the modeler and deploy it', async () => {
    await page.goto('/modeler.html');
    await expect(page.locator('#canvas .djs-container')).toBeVisible();
    await page.setInputFiles('#open-file', join(ROOT, 'processes', 'order-approval.bpmn'));
    await expect(page.locator('#status')).toContainText('Opened order-approval.bpmn');
    await page.locator('#deploy').click();
    await expect(page.locator('#status')).toContainText('Deployed order-approval version 1');
  });

  await test.step('start it from the link in the status line', async () => {
    await page.locator('#status a[data-start-link="order-approval"]').click();
    await page.locator('#start-variables').fill('{"orderId": "A-1", "amount": 250}');
    await page.locator('#start-instance').click();
    await expect(page).toHaveURL(/#\/instances\/[^/]+$/);
  });
  const instanceUrl = page.url();

  const job = page.locator('#waiting li[data-wait="job"][data-element-id="Task_CheckStock"]');
  await test.step('the page says Check stock waits for a worker of type check-stock, and how to be one', async () => {
    await expect(page.locator('.token-badge[data-element-id="Task_CheckStock"]')).toHaveText('1');
    await expect(job).toContainText('Check stock is waiting for a worker of type check-stock.');
    await expect(job).toContainText('No worker has fetched it yet');
    await expect(job.locator('.handlers-flag')).toHaveText('npm start -- --handlers processes/handlers.mjs');
    await expect(job.locator('.command pre')).toHaveCount(2);
    await screenshot(page, 'instance-waiting');
  });

  await test.step('be the worker with the two commands the page shows', async () => {
    const [activate, complete] = (await job.locator('.command pre').allTextContents()).map(parseCurl);
    expect(activate!.url).toBe(`http://127.0.0.1:${PLAIN_PORT}/api/jobs/activate`);
    expect(activate!.body).toEqual({ type: 'check-stock', worker: 'me', maxJobs: 1 });
    const locked = await request.post(activate!.url, { data: activate!.body });
    const jobs = (await locked.json()).jobs as { key: string }[];
    expect(jobs).toHaveLength(1);
    expect(complete!.url).toBe(`http://127.0.0.1:${PLAIN_PORT}/api/jobs/${jobs[0]!.key}/complete`);
    const completed = await request.post(complete!.url, { data: complete!.body });
    expect(completed.status(), await completed.text()).toBe(200);
  });

  await test.step('the page now sends us to the task of the sales group; complete it in the tasklist', async () => {
    const task = page.locator('#waiting li[data-wait="user-task"][data-element-id="Task_ApproveOrder"]');
    await expect(task).toContainText('Approve order is waiting for someone in group sales to complete it.');
    await expect(page.locator('#waiting li[data-wait="job"]')).toHaveCount(0);
    await task.locator('a[data-task-link]').click();
    await expect(page).toHaveURL(/#\/tasks\?candidateGroup=sales&task=/);
    await expect(page.locator('#task-detail h2')).toHaveText('Approve order');
    await page.locator('#claim').click();
    await expect(page.locator('#task-detail .meta')).toContainText('assigned to operator');
    await page.locator('#task-extra').fill('{"approved": true}');
    await page.locator('#complete-task').click();
    await expect(page.locator('#task-completed')).toContainText('Completed Approve order.');
  });

  await test.step('follow the instance: completed, its path marked', async () => {
    await page.locator('#task-completed a').click();
    await expect(page).toHaveURL(instanceUrl);
    await expect(page.locator('#instance-head .badge-completed')).toBeVisible();
    for (const id of ['Start', 'Task_CheckStock', 'Task_ApproveOrder', 'Gateway_Approved', 'End_Approved'])
      await expect(page.locator(`.djs-element[data-element-id="${id}"]`).first()).toHaveClass(/baton-done/);
    await expect(page.locator('.djs-connection[data-element-id="Flow_Approved"]')).toHaveClass(/baton-taken/);
    await expect(page.locator('#waiting')).toBeHidden();
    await expect(page.locator('#variables')).toContainText('approved');
  });
});
