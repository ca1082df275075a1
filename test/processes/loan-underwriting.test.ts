/**
 * processes/loan-underwriting.bpmn end to end, with the testing kit: risk scoring as a
 * business-rule job, an underwriter review with a non-interrupting reminder timer (after a day)
 * and an interrupting escalation timer (after three days), fired by moving the test clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInstance, type TestEngine } from '../../engine/src/testing/index.js';
import { completions, exampleEngine, exampleHandlers, idsOf } from './helpers.js';

describe('loan-underwriting example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await exampleEngine(['loan-underwriting.bpmn'], await exampleHandlers());
  });
  afterEach(() => t.close());

  it('declines a high-risk application without a review', async () => {
    const i = await t.start('loan-underwriting', { applicationId: 'L-1', amount: 500_000, income: 50_000 });
    await expectInstance(i).toBeCompleted().toHaveVariables({ riskScore: 100 });
    expect(await idsOf(t.engine, i.id, 'element-completed')).toEqual([
      'Start',
      'Task_ScoreRisk',
      'Gateway_Risk',
      'End_AutoDeclined',
    ]);
  });

  it('issues an offer when the assigned underwriter approves before any timer', async () => {
    // given
    const i = await t.start('loan-underwriting', {
      applicationId: 'L-2',
      amount: 100_000,
      income: 80_000,
      underwriter: 'uma',
    });
    await t.clock.advance('PT23H');
    // when
    const task = await t.completeUserTask(i, 'Task_Review', { approved: true });
    // then
    expect(task).toMatchObject({ assignee: 'uma', candidateGroups: ['underwriters'], formKey: 'underwriter-review' });
    await expectInstance(i)
      .toBeCompleted()
      .toHaveVariables({ riskScore: 25, approved: true, offerId: 'OFFER-L-2' })
      .toHaveCompleted('End_OfferIssued')
      .toNotHaveReached('Boundary_Reminder');
  });

  it('reminds the underwriter after a day (non-interrupting), then escalates to a senior review after three', async () => {
    // given
    const i = await t.start('loan-underwriting', {
      applicationId: 'L-3',
      amount: 100_000,
      income: 80_000,
      underwriter: 'uma',
    });
    // when: a day passes, the reminder fires while the review stays open
    await t.clock.advance('P1D');
    await expectInstance(i)
      .toHaveCompleted('End_Reminded')
      .toBeWaitingAt('Task_Review')
      .toNotHaveReached('Boundary_Escalate');
    // and two more days: the escalation timer interrupts the review
    await t.clock.advance('P2D');
    await expectInstance(i).toBeWaitingAt('Task_SeniorReview');
    // then
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toContain('Task_Review');
    const senior = await t.completeUserTask(i, 'Task_SeniorReview', { approved: false });
    expect(senior.candidateGroups).toEqual(['senior-underwriters']);
    await expectInstance(i)
      .toBeCompleted()
      .toHaveVariables({ reminderSentTo: 'uma', approved: false })
      .toHaveCompleted('Boundary_Reminder', 'Boundary_Escalate', 'End_Declined')
      .toNotHaveReached('Task_IssueOffer');
    expect(await completions(t.engine, i.id, 'Boundary_Reminder')).toBe(1);
    expect(await t.userTasks(i)).toEqual([]);
  });
});
