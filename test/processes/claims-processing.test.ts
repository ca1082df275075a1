/**
 * processes/claims-processing.bpmn + claims-assessment.bpmn end to end: a call activity passes the
 * claim items in and the assessments out; the child assesses each item in a parallel
 * multi-instance sub-process with an output collection; a high-value item escalates to a
 * non-interrupting escalation boundary on the call activity in the parent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  completions,
  example,
  exampleHandlers,
  idsOf,
  startEngine,
  waitFor,
  waitStatus,
  type TestEngine,
} from './helpers.js';

describe('claims-processing example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await startEngine(await exampleHandlers());
    await t.engine.deploy(example('claims-assessment.bpmn'));
    await t.engine.deploy(example('claims-processing.bpmn'));
  });
  afterEach(() => t.close());

  async function child(parentId: string) {
    const claimId = (await t.engine.getInstance(parentId))!.variables.claimId;
    return (await t.engine.listInstances({ processId: 'claims-assessment' })).items.find(
      (i) => i.variables.claimId === claimId,
    );
  }

  it('assesses every item in the child and pays the approved total', async () => {
    // given
    const items = [
      { id: 'i1', amount: 1200 },
      { id: 'i2', amount: 300 },
      { id: 'i3', amount: 4500 },
    ];
    // when
    const started = await t.engine.startInstance({
      processId: 'claims-processing',
      variables: { claimId: 'C-1', items, adjuster: 'ann' },
    });
    const done = await waitStatus(t.engine, started.id, 'completed');
    // then: the output collection is ordered like the input collection
    expect(done.variables.assessments).toEqual([
      { itemId: 'i1', approvedAmount: 1200, decision: 'approve' },
      { itemId: 'i2', approvedAmount: 300, decision: 'approve' },
      { itemId: 'i3', approvedAmount: 4500, decision: 'approve' },
    ]);
    expect(done.variables).toMatchObject({ approvedTotal: 6000, paidAmount: 6000 });
    expect(done.variables).not.toHaveProperty('item');
    expect(done.variables).not.toHaveProperty('assessment');
    expect(await completions(t.engine, started.id, 'Boundary_HighValue')).toBe(0);
    const sub = (await child(started.id))!;
    expect(sub.status).toBe('completed');
    expect(sub.variables).not.toHaveProperty('adjuster');
    expect(await completions(t.engine, sub.id, 'Task_AssessItem')).toBe(3);
  });

  it('escalates a high-value item to the parent without interrupting the assessment', async () => {
    // given
    const items = [
      { id: 'i1', amount: 900 },
      { id: 'big', amount: 25_000 },
    ];
    // when
    const started = await t.engine.startInstance({
      processId: 'claims-processing',
      variables: { claimId: 'C-2', items },
    });
    const done = await waitStatus(t.engine, started.id, 'completed');
    // then
    expect(done.variables).toMatchObject({
      fraudTeamNotified: true,
      notifiedFor: 'C-2',
      approvedTotal: 900,
      paidAmount: 900,
    });
    expect(done.variables.assessments).toEqual([
      { itemId: 'i1', approvedAmount: 900, decision: 'approve' },
      { itemId: 'big', approvedAmount: 0, decision: 'refer' },
    ]);
    expect(await completions(t.engine, started.id, 'Boundary_HighValue')).toBe(1);
    expect(await completions(t.engine, started.id, 'End_Notified')).toBe(1);
    expect(await completions(t.engine, started.id, 'Call_Assess')).toBe(1);
    expect(await completions(t.engine, started.id, 'End_Settled')).toBe(1);
    expect(await idsOf(t.engine, started.id, 'element-terminated')).toEqual([]);
    const sub = await waitFor('child', () => child(started.id));
    expect(await completions(t.engine, sub.id, 'Event_EscalateHighValue')).toBe(1);
  });
});
