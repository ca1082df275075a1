/**
 * processes/loan-underwriting.bpmn end to end: risk scoring as a business-rule job, an
 * underwriter review with a non-interrupting reminder timer and an interrupting escalation timer.
 * Timer durations come in as variables (`reminderAfter`, `escalateAfter`), so the tests run fast.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  completeUserTask,
  completions,
  example,
  exampleHandlers,
  idsOf,
  startEngine,
  waitActive,
  waitFor,
  waitStatus,
  type TestEngine,
} from './helpers.js';

const fast = { reminderAfter: 'PT0.2S', escalateAfter: 'PT0.6S' };

describe('loan-underwriting example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await startEngine(await exampleHandlers());
    await t.engine.deploy(example('loan-underwriting.bpmn'));
  });
  afterEach(() => t.close());

  it('declines a high-risk application without a review', async () => {
    const started = await t.engine.startInstance({
      processId: 'loan-underwriting',
      variables: { applicationId: 'L-1', amount: 500_000, income: 50_000 },
    });
    const done = await waitStatus(t.engine, started.id, 'completed');
    expect(done.variables.riskScore).toBe(100);
    expect(await idsOf(t.engine, started.id, 'element-completed')).toEqual([
      'Start',
      'Task_ScoreRisk',
      'Gateway_Risk',
      'End_AutoDeclined',
    ]);
  });

  it('issues an offer when the assigned underwriter approves before any timer', async () => {
    // given
    const started = await t.engine.startInstance({
      processId: 'loan-underwriting',
      variables: {
        applicationId: 'L-2',
        amount: 100_000,
        income: 80_000,
        underwriter: 'uma',
        reminderAfter: 'PT10S',
        escalateAfter: 'PT20S',
      },
    });
    // when
    const task = await completeUserTask(t.engine, started.id, 'Task_Review', { approved: true });
    // then
    expect(task).toMatchObject({ assignee: 'uma', candidateGroups: ['underwriters'], formKey: 'underwriter-review' });
    const done = await waitStatus(t.engine, started.id, 'completed');
    expect(done.variables).toMatchObject({ riskScore: 25, approved: true, offerId: 'OFFER-L-2' });
    expect(await completions(t.engine, started.id, 'End_OfferIssued')).toBe(1);
    expect(await idsOf(t.engine, started.id, 'element-completed')).not.toContain('Boundary_Reminder');
  });

  it('reminds the underwriter (non-interrupting), then escalates to a senior review', async () => {
    // given
    const started = await t.engine.startInstance({
      processId: 'loan-underwriting',
      variables: { applicationId: 'L-3', amount: 100_000, income: 80_000, underwriter: 'uma', ...fast },
    });
    // when: the reminder fires while the review stays open
    await waitFor('reminder sent', async () => (await completions(t.engine, started.id, 'End_Reminded')) === 1);
    expect((await t.engine.getInstance(started.id))!.activeElements).toContain('Task_Review');
    // and the escalation timer interrupts the review
    await waitActive(t.engine, started.id, 'Task_SeniorReview');
    // then
    expect(await idsOf(t.engine, started.id, 'element-terminated')).toContain('Task_Review');
    const senior = await completeUserTask(t.engine, started.id, 'Task_SeniorReview', { approved: false });
    expect(senior.candidateGroups).toEqual(['senior-underwriters']);
    const done = await waitStatus(t.engine, started.id, 'completed');
    expect(done.variables).toMatchObject({ reminderSentTo: 'uma', approved: false });
    expect(await completions(t.engine, started.id, 'Boundary_Reminder')).toBe(1);
    expect(await completions(t.engine, started.id, 'Boundary_Escalate')).toBe(1);
    expect(await completions(t.engine, started.id, 'End_Declined')).toBe(1);
    expect(await completions(t.engine, started.id, 'Task_IssueOffer')).toBe(0);
    expect(await t.engine.listUserTasks({ instanceId: started.id })).toEqual([]);
  });
});
