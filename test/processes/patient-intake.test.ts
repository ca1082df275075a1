/**
 * processes/patient-intake.bpmn end to end: registration (then a consent message correlated by
 * patientId), triage (a user task) and the insurance check run in parallel and join; the patient
 * waits for the broadcast signal "bed-available" before admission.
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
  waitStatus,
  type TestEngine,
} from './helpers.js';

describe('patient-intake example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await startEngine(await exampleHandlers());
    await t.engine.deploy(example('patient-intake.bpmn'));
  });
  afterEach(() => t.close());

  it('joins the three branches and admits both waiting patients on one bed signal', async () => {
    // given: two patients
    const p1 = await t.engine.startInstance({
      processId: 'patient-intake',
      variables: { patientId: 'P-1', insurer: 'Acme' },
    });
    const p2 = await t.engine.startInstance({ processId: 'patient-intake', variables: { patientId: 'P-2' } });
    await waitActive(t.engine, p1.id, 'Event_Consent');
    await waitActive(t.engine, p2.id, 'Event_Consent');
    // when: consent is correlated to P-1 only
    const consent = await t.engine.publishMessage({
      name: 'consent-signed',
      correlationKey: 'P-1',
      variables: { consentBy: 'P-1' },
    });
    expect(consent.correlated).toEqual([p1.id]);
    await completeUserTask(t.engine, p1.id, 'Task_Triage', { triageLevel: 2 });
    await waitActive(t.engine, p1.id, 'Event_BedAvailable');
    // then: P-2 still waits for its consent; the join has not fired
    expect((await t.engine.getInstance(p2.id))!.activeElements).toContain('Event_Consent');
    expect(await completions(t.engine, p2.id, 'Gateway_Join')).toBe(0);
    // when: P-2 catches up and a bed becomes available
    await t.engine.publishMessage({ name: 'consent-signed', correlationKey: 'P-2' });
    await completeUserTask(t.engine, p2.id, 'Task_Triage', { triageLevel: 4 });
    await waitActive(t.engine, p2.id, 'Event_BedAvailable');
    const signal = await t.engine.broadcastSignal({ name: 'bed-available', variables: { bed: 'B-7' } });
    // then
    expect(signal.triggered).toBe(2);
    const d1 = await waitStatus(t.engine, p1.id, 'completed');
    const d2 = await waitStatus(t.engine, p2.id, 'completed');
    expect(d1.variables).toMatchObject({
      registered: true,
      mrn: 'MRN-P-1',
      insured: true,
      consentBy: 'P-1',
      triageLevel: 2,
      ward: 'acute',
      admitted: true,
      bed: 'B-7',
    });
    expect(d2.variables).toMatchObject({ insured: false, ward: 'general' });
    expect(await completions(t.engine, p1.id, 'Gateway_Join')).toBe(1);
    const order = await idsOf(t.engine, p1.id, 'element-completed');
    expect(order.indexOf('Gateway_Join')).toBeGreaterThan(order.indexOf('Event_Consent'));
    expect(order.indexOf('Gateway_Join')).toBeGreaterThan(order.indexOf('Task_Triage'));
    expect(order.indexOf('Gateway_Join')).toBeGreaterThan(order.indexOf('Task_CheckInsurance'));
    expect(order.slice(-3)).toEqual(['Event_BedAvailable', 'Task_Admit', 'End_Admitted']);
  });

  it('does not admit a patient on a signal that came before the join', async () => {
    const p = await t.engine.startInstance({
      processId: 'patient-intake',
      variables: { patientId: 'P-3', insurer: 'Acme' },
    });
    await waitActive(t.engine, p.id, 'Event_Consent');
    expect((await t.engine.broadcastSignal({ name: 'bed-available' })).triggered).toBe(0);
    await t.engine.publishMessage({ name: 'consent-signed', correlationKey: 'P-3' });
    await completeUserTask(t.engine, p.id, 'Task_Triage', { triageLevel: 3 });
    const waiting = await waitActive(t.engine, p.id, 'Event_BedAvailable');
    expect(waiting.status).toBe('active');
    expect(await completions(t.engine, p.id, 'Task_Admit')).toBe(0);
  });
});
