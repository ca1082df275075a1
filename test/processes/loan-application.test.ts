/**
 * processes/loan-application.bpmn with processes/loan-risk.dmn and processes/underwriter-review.form,
 * deployed together: the business rule task evaluates the deployed loan-offer decision (a
 * requirements graph of four decisions) in the engine, the gateway routes on its result, and the
 * underwriter's task links the form deployed with them. Run on the testing kit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../engine/src/runtime/api-types.js';
import { createTestEngine, expectInstance, type TestEngine } from '../../engine/src/testing/index.js';
import { example, history } from './helpers.js';

const FILES = ['loan-application.bpmn', 'loan-risk.dmn', 'underwriter-review.form'];

const applicant = (creditScore: number, monthlyDebts = 500) => ({
  applicationId: 'L-1',
  applicant: { creditScore, monthlyDebts, monthlyIncome: 6000 },
  loan: { amount: 120_000, months: 240 },
});

describe('loan-application example', () => {
  let t: TestEngine;
  let deployment: DeploymentView;

  beforeEach(async () => {
    t = await createTestEngine();
    deployment = await t.deploy(FILES.map((name) => ({ name, content: example(name) })));
  });
  afterEach(() => t.close());

  it('deploys the process, its four decisions and its form together', () => {
    expect(deployment.processes).toEqual([expect.objectContaining({ processId: 'loan-application', version: 1 })]);
    expect(deployment.decisions.map((d) => d.decisionId)).toEqual([
      'loanOffer',
      'riskClass',
      'creditBand',
      'debtRatio',
    ]);
    expect(deployment.decisions[0]).toMatchObject({ decisionRequirementsId: 'LoanRisk', versionTag: '2026-q4' });
    expect(deployment.forms).toEqual([expect.objectContaining({ formId: 'underwriter-review', version: 1 })]);
  });

  it('approves a low-risk loan at once, recording which rules of each decision matched', async () => {
    // given a strong applicant
    // when the instance runs
    const started = await t.start('loan-application', applicant(780));
    // then the decision's result is the variable offer and the gateway took the approve path
    await expectInstance(started)
      .toBeCompleted()
      .toHaveVariables({ offer: { outcome: 'approve', rate: 3.4, riskClass: 'low' } })
      .toHaveCompleted('End_Approved');
    const evaluated = (await history(t.engine, started.id)).filter((h) => h.type === 'decision-evaluated');
    expect(evaluated).toHaveLength(1);
    expect(evaluated[0]).toMatchObject({ elementId: 'Task_Assess', decisionId: 'loanOffer', version: 1 });
    const matched = evaluated[0]!.evaluations.map((e) => [e.decisionId, e.matchedRules.map((r) => r.ruleId)]);
    expect(matched).toEqual([
      ['creditBand', ['Rule_band_A']],
      ['debtRatio', []],
      ['riskClass', ['Rule_risk_A_low']],
      ['loanOffer', ['Rule_offer_low_small']],
    ]);
  });

  it('declines a high-risk loan without a review', async () => {
    const started = await t.start('loan-application', applicant(600));
    const done = await expectInstance(started).toBeCompleted().toHaveCompleted('End_Declined');
    expect(done.variables['offer']).toMatchObject({ outcome: 'decline', riskClass: 'high' });
  });

  it('sends a medium-risk loan to the underwriter with the deployed form, then follows the review', async () => {
    // given an applicant in credit band B
    const started = await t.start('loan-application', applicant(700));
    await expectInstance(started).toBeWaitingAt('Task_Review');
    // when the underwriter opens the task's form
    const [task] = await t.engine.listUserTasks({ instanceId: started.id });
    const form = await t.engine.resources.userTaskForm(task!.id);
    // then it is the deployed form, prefilled with the decision's result
    expect(form).toMatchObject({ formId: 'underwriter-review', version: 1, embedded: false });
    expect((form.schema as { components: unknown[] }).components).toHaveLength(4);
    expect(form.variables['offer']).toEqual({ outcome: 'review', rate: 4.9, riskClass: 'medium' });
    // and approving it makes the offer
    await t.completeUserTask(started, 'Task_Review', { approved: true, rate: 4.5, reason: 'stable job' });
    await expectInstance(started).toBeCompleted().toHaveCompleted('End_ApprovedAfterReview');
  });
});
