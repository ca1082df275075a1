/**
 * processes/claims-processing.bpmn + claims-assessment.bpmn end to end, with the testing kit: a
 * call activity passes the claim items in and the assessments out; the child assesses each item in
 * a parallel multi-instance sub-process with an output collection; a high-value item escalates to
 * a non-interrupting escalation boundary on the call activity in the parent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInstance, type TestEngine } from '../../engine/src/testing/index.js';
import { completions, exampleEngine, exampleHandlers, idsOf } from './helpers.js';

describe('claims-processing example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await exampleEngine(['claims-assessment.bpmn', 'claims-processing.bpmn'], await exampleHandlers());
  });
  afterEach(() => t.close());

  async function child(claimId: string) {
    const { items } = await t.engine.listInstances({ processId: 'claims-assessment' });
    return items.find((i) => i.variables.claimId === claimId)!;
  }

  it('assesses every item in the child and pays the approved total', async () => {
    // given
    const items = [
      { id: 'i1', amount: 1200 },
      { id: 'i2', amount: 300 },
      { id: 'i3', amount: 4500 },
    ];
    // when
    const claim = await t.start('claims-processing', { claimId: 'C-1', items, adjuster: 'ann' });
    // then: the output collection is ordered like the input collection
    const done = await expectInstance(claim)
      .toBeCompleted()
      .toHaveVariables({
        assessments: [
          { itemId: 'i1', approvedAmount: 1200, decision: 'approve' },
          { itemId: 'i2', approvedAmount: 300, decision: 'approve' },
          { itemId: 'i3', approvedAmount: 4500, decision: 'approve' },
        ],
        approvedTotal: 6000,
        paidAmount: 6000,
      })
      .toNotHaveReached('Boundary_HighValue')
      .toHaveNoIncidents();
    expect(done.variables).not.toHaveProperty('item');
    expect(done.variables).not.toHaveProperty('assessment');
    const sub = await child('C-1');
    await t.expect(sub).toBeCompleted();
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
    const claim = await t.start('claims-processing', { claimId: 'C-2', items });
    // then
    await expectInstance(claim)
      .toBeCompleted()
      .toHaveVariables({
        fraudTeamNotified: true,
        notifiedFor: 'C-2',
        approvedTotal: 900,
        paidAmount: 900,
        assessments: [
          { itemId: 'i1', approvedAmount: 900, decision: 'approve' },
          { itemId: 'big', approvedAmount: 0, decision: 'refer' },
        ],
      })
      .toHaveCompleted('Boundary_HighValue', 'End_Notified', 'Call_Assess', 'End_Settled');
    for (const id of ['Boundary_HighValue', 'End_Notified', 'Call_Assess', 'End_Settled'])
      expect(await completions(t.engine, claim.id, id)).toBe(1);
    expect(await idsOf(t.engine, claim.id, 'element-terminated')).toEqual([]);
    await t.expect(await child('C-2')).toHaveCompleted('Event_EscalateHighValue');
  });
});
