/**
 * processes/patient-intake.bpmn end to end, with the testing kit: registration (then a consent
 * message correlated by patientId), triage (a user task) and the insurance check run in parallel
 * and join; the patient waits for the broadcast signal "bed-available" before admission.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestEngine } from '../../engine/src/testing/index.js';
import { completions, exampleEngine, exampleHandlers, idsOf } from './helpers.js';

describe('patient-intake example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await exampleEngine(['patient-intake.bpmn'], await exampleHandlers());
  });
  afterEach(() => t.close());

  it('joins the three branches and admits both waiting patients on one bed signal', async () => {
    // given: two patients
    const p1 = await t.start('patient-intake', { patientId: 'P-1', insurer: 'Acme' });
    const p2 = await t.start('patient-intake', { patientId: 'P-2' });
    await t.expect(p1).toBeWaitingAt('Event_Consent');
    await t.expect(p2).toBeWaitingAt('Event_Consent');
    // when: consent is correlated to P-1 only
    const consent = await t.publishMessage('consent-signed', {
      correlationKey: 'P-1',
      variables: { consentBy: 'P-1' },
    });
    expect(consent.correlated).toEqual([p1.id]);
    await t.completeUserTask(p1, 'Task_Triage', { triageLevel: 2 });
    await t.expect(p1).toBeWaitingAt('Event_BedAvailable');
    // then: P-2 still waits for its consent; the join has not fired
    await t.expect(p2).toBeWaitingAt('Event_Consent').toNotHaveReached('Gateway_Join');
    // when: P-2 catches up and a bed becomes available
    await t.publishMessage('consent-signed', { correlationKey: 'P-2' });
    await t.completeUserTask(p2, 'Task_Triage', { triageLevel: 4 });
    await t.expect(p2).toBeWaitingAt('Event_BedAvailable');
    const signal = await t.broadcastSignal('bed-available', { bed: 'B-7' });
    // then
    expect(signal.triggered).toBe(2);
    await t
      .expect(p1)
      .toBeCompleted()
      .toHaveVariables({
        registered: true,
        mrn: 'MRN-P-1',
        insured: true,
        consentBy: 'P-1',
        triageLevel: 2,
        ward: 'acute',
        admitted: true,
        bed: 'B-7',
      })
      .toHaveCompletedInOrder('Event_Consent', 'Gateway_Join')
      .toHaveCompletedInOrder('Task_Triage', 'Gateway_Join')
      .toHaveCompletedInOrder('Task_CheckInsurance', 'Gateway_Join');
    await t.expect(p2).toBeCompleted().toHaveVariables({ insured: false, ward: 'general' });
    expect(await completions(t.engine, p1.id, 'Gateway_Join')).toBe(1);
    const order = await idsOf(t.engine, p1.id, 'element-completed');
    expect(order.indexOf('Gateway_Join')).toBeGreaterThan(order.indexOf('Event_Consent'));
    expect(order.indexOf('Gateway_Join')).toBeGreaterThan(order.indexOf('Task_Triage'));
    expect(order.indexOf('Gateway_Join')).toBeGreaterThan(order.indexOf('Task_CheckInsurance'));
    expect(order.slice(-3)).toEqual(['Event_BedAvailable', 'Task_Admit', 'End_Admitted']);
  });

  it('does not admit a patient on a signal that came before the join', async () => {
    const p = await t.start('patient-intake', { patientId: 'P-3', insurer: 'Acme' });
    await t.expect(p).toBeWaitingAt('Event_Consent');
    expect((await t.broadcastSignal('bed-available')).triggered).toBe(0);
    await t.publishMessage('consent-signed', { correlationKey: 'P-3' });
    await t.completeUserTask(p, 'Task_Triage', { triageLevel: 3 });
    await t.expect(p).toBeActive().toBeWaitingAt('Event_BedAvailable').toNotHaveReached('Task_Admit');
  });
});
