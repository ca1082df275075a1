/**
 * The walk of docs/testing.md, run as written there (only the import paths differ: the guide
 * imports `baton/testing` and reads the models from `node_modules/baton/processes/`).
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bpmnError, createTestEngine, expectInstance, type TestEngine } from '../../engine/src/testing/index.js';

const model = (name: string) => readFileSync(new URL(`../../processes/${name}`, import.meta.url), 'utf8');

describe('order fulfilment (docs/testing.md)', () => {
  let engine: TestEngine;

  beforeEach(async () => {
    engine = await createTestEngine({ startAt: '2030-01-01T09:00:00Z' });
    await engine.deploy(model('order-fulfilment.bpmn'));
    engine.jobs
      .onType('reserve-stock', (job) => ({ reservationId: `RES-${job.variables.orderId}` }))
      .onType('authorize-payment', { paymentId: 'PAY-1' })
      .onType('schedule-shipping', { shipmentId: 'SHIP-1' })
      .onType('release-stock', { stockReleased: true })
      .onType('void-payment', { paymentVoided: true });
  });
  afterEach(() => engine.close());

  it('ships a small order', async () => {
    const order = await engine.start('order-fulfilment', { orderId: 'A-1', amount: 250 });
    await expectInstance(order)
      .toBeCompleted()
      .toHaveCompletedInOrder('Reserve stock', 'Authorise payment', 'Schedule shipping', 'Order fulfilled')
      .toHaveVariables({ reservationId: 'RES-A-1', shipmentId: 'SHIP-1' })
      .toHaveNoIncidents();
  });

  it('waits for sales to confirm a large order', async () => {
    const order = await engine.start('order-fulfilment', { orderId: 'B-2', amount: 2500 });
    await expectInstance(order).toBeWaitingAt('Confirm large order').toNotHaveReached('Authorise payment');
    await engine.completeUserTask(order, 'Confirm large order', { confirmedBy: 'sam' });
    await expectInstance(order).toBeCompleted().toHaveCompleted('Order fulfilled');
  });

  it('undoes the completed steps when no carrier ships the order', async () => {
    engine.jobs.onType('schedule-shipping', bpmnError('NO_CARRIER', 'no carrier today'));
    const order = await engine.start('order-fulfilment', { orderId: 'C-3', amount: 300 });
    await expectInstance(order)
      .toBeCompleted()
      .toHaveCompensated('Authorise payment', 'Reserve stock')
      .toHaveCompletedInOrder('Void payment', 'Release stock', 'Order failed')
      .toHaveVariables({ failureReason: 'NO_CARRIER', paymentVoided: true, stockReleased: true });
    expect(engine.jobs.calls('void-payment')).toHaveLength(1);
  });
});

describe('underwriting with a reminder and an escalation (docs/testing.md)', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await createTestEngine({ startAt: '2030-01-01T09:00:00Z' });
    await engine.deploy(model('loan-underwriting.bpmn'));
    engine.jobs
      .onType('score-risk', { riskScore: 25 })
      .onType('send-reminder', (job) => ({ reminderSentTo: job.variables.underwriter }));
  });
  afterEach(() => engine.close());

  it('reminds after a day and escalates after three', async () => {
    const loan = await engine.start('loan-underwriting', { applicationId: 'L-1', underwriter: 'uma' });
    await expectInstance(loan).toBeWaitingAt('Task_Review');

    await engine.clock.advance('P1D');
    await expectInstance(loan).toBeWaitingAt('Task_Review').toHaveVariables({ reminderSentTo: 'uma' });

    await engine.clock.advance('P2D');
    await expectInstance(loan).toBeWaitingAt('Task_SeniorReview').toHaveCompleted('Boundary_Escalate');
    expect(engine.clock.read()).toBe('2030-01-04T09:00:00.000Z');
  });
});

describe('patient intake with a message and a signal (docs/testing.md)', () => {
  it('admits a patient once consent arrives and a bed is free', async () => {
    const engine = await createTestEngine();
    try {
      await engine.deploy(model('patient-intake.bpmn'));
      engine.jobs
        .onType('register-patient', { registered: true })
        .onType('check-insurance', { insured: true })
        .onType('admit-patient', (job) => ({ admitted: true, bedOf: job.variables.bed }));
      const patient = await engine.start('patient-intake', { patientId: 'P-1' });

      await engine.publishMessage('consent-signed', { correlationKey: 'P-1' });
      await engine.completeUserTask(patient, 'Task_Triage', { triageLevel: 2 });
      await expectInstance(patient).toBeWaitingAt('Event_BedAvailable');

      await engine.broadcastSignal('bed-available', { bed: 'B-7' });
      await expectInstance(patient).toBeCompleted().toHaveVariables({ admitted: true, bedOf: 'B-7' });
    } finally {
      await engine.close();
    }
  });
});
