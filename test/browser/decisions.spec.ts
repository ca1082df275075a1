/**
 * Decisions in the console: the loan application example (processes/loan-application.bpmn calling
 * the loanOffer decision of processes/loan-risk.dmn, with its underwriter-review form) deployed
 * together; the instance page shows each decision of the requirements graph with its inputs, every
 * rule, the matched rules highlighted and the output; the review task is completed through its form.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, ROOT, screenshot, startInstance, test, until } from './support.ts';

const EXAMPLES = ['loan-application.bpmn', 'loan-risk.dmn', 'underwriter-review.form'];

test('the instance page shows the decisions a business rule task evaluated, matched rules highlighted', async ({
  page,
  request,
}) => {
  const resources = EXAMPLES.map((name) => ({ name, content: readFileSync(join(ROOT, 'processes', name), 'utf8') }));
  const deployed = await request.post('/api/deployments', { data: { resources } });
  expect(deployed.status(), await deployed.text()).toBeLessThan(300);
  const id = await startInstance(request, 'loan-application', {
    variables: {
      applicationId: 'L-7',
      applicant: { creditScore: 700, monthlyDebts: 500, monthlyIncome: 6000 },
      loan: { amount: 120_000, months: 240 },
    },
  });
  const [evaluation] = await until(async () => {
    const list = await (await request.get(`/api/console/instances/${id}/decisions`)).json();
    return list.length ? list : undefined;
  }, 'the decision evaluation');
  const offer = evaluation.evaluations.at(-1);
  expect(offer.decisionId).toBe('loanOffer');

  await page.goto(`/#/instances/${id}`);
  const panel = page.locator('#decisions');
  await test.step('each decision of the graph, the called one with its result', async () => {
    await expect(panel.locator('.decision-evaluation h3')).toContainText('Assess application → Loan offer v1');
    await expect(panel.locator('.decision-result')).toContainText(
      'offer = {"outcome":"review","rate":4.9,"riskClass":"medium"}',
    );
    await expect(panel.locator('.decision')).toHaveCount(evaluation.evaluations.length);
  });

  await test.step('the loan offer table: input values, every rule, the matched one highlighted', async () => {
    const table = panel.locator('.decision[data-decision-id="loanOffer"] table');
    await expect(table.locator('th.decision-input').first()).toContainText('Risk class');
    await expect(table.locator('th.decision-input').first()).toContainText('= "medium"');
    const matched = offer.matchedRules.map((r: { ruleIndex: number }) => String(r.ruleIndex));
    await expect(table.locator('tr.matched')).toHaveCount(matched.length);
    for (const index of matched) await expect(table.locator(`tr[data-rule="${index}"]`)).toHaveClass(/matched/);
    await expect(table.locator('tbody tr, tr[data-rule]')).not.toHaveCount(matched.length);
    await screenshot(page, 'instance-decisions', panel);
  });

  await test.step('the review task is completed through the underwriter-review form', async () => {
    const task = await until(
      async () => (await (await request.get(`/api/user-tasks?instanceId=${id}`)).json())[0],
      'the review task',
    );
    await page.goto(`/#/tasks?task=${task.id}`);
    const detail = page.locator('#task-detail');
    await expect(detail.locator('.fjs-container')).toContainText('risk class medium');
    await detail.getByLabel('Approve the loan').check();
    await detail.getByLabel('Rate (%)').fill('4.5');
    await detail.locator('#complete-task').click();
    await expect(detail.locator('.fjs-form-field-error')).toContainText(['Field is required.']);
    await detail.getByLabel('Reason').fill('Stable income');
    await detail.locator('#complete-task').click();
    await expect(page.locator('#task-completed')).toBeVisible();
  });
  const done = await until(async () => {
    const instance = await (await request.get(`/api/instances/${id}`)).json();
    return instance.status === 'completed' ? instance : undefined;
  }, 'the instance to complete');
  expect(done.variables).toMatchObject({ approved: true, rate: 4.5, reason: 'Stable income' });
});
