/**
 * processes/order-fulfilment.bpmn end to end: the seed example. Stock is reserved, payment
 * authorised, shipping scheduled; a declined payment or a missing carrier compensates exactly the
 * activities that completed, in reverse order, and ends at "Order failed" with a reason code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  completeUserTask,
  completions,
  example,
  exampleHandlers,
  history,
  idsOf,
  startEngine,
  waitStatus,
  type TestEngine,
} from './helpers.js';

describe('order-fulfilment example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await startEngine(await exampleHandlers());
    await t.engine.deploy(example('order-fulfilment.bpmn'));
  });
  afterEach(() => t.close());

  it('fulfils a small order without a user task', async () => {
    // given / when
    const started = await t.engine.startInstance({
      processId: 'order-fulfilment',
      variables: { orderId: 'A-1', amount: 250 },
    });
    const done = await waitStatus(t.engine, started.id, 'completed');
    // then
    expect(done.variables).toMatchObject({ reservationId: 'RES-A-1', paymentId: 'PAY-A-1', shipmentId: 'SHIP-A-1' });
    expect(await completions(t.engine, started.id, 'End_Fulfilled')).toBe(1);
    expect(await idsOf(t.engine, started.id, 'element-activated')).not.toContain('Task_ConfirmLargeOrder');
    expect(await idsOf(t.engine, started.id, 'element-compensated')).toEqual([]);
  });

  it('asks sales to confirm a large order, then fulfils it', async () => {
    // given
    const started = await t.engine.startInstance({
      processId: 'order-fulfilment',
      variables: { orderId: 'B-2', amount: 2500 },
    });
    // when
    const task = await completeUserTask(t.engine, started.id, 'Task_ConfirmLargeOrder', { confirmedBy: 'sam' });
    // then
    expect(task).toMatchObject({
      candidateGroups: ['sales'],
      formKey: 'confirm-large-order',
      name: 'Confirm large order',
    });
    const done = await waitStatus(t.engine, started.id, 'completed');
    expect(done.variables).toMatchObject({ confirmedBy: 'sam', shipmentId: 'SHIP-B-2' });
    expect(await completions(t.engine, started.id, 'End_Fulfilled')).toBe(1);
  });

  it('releases only the reservation when billing declines, and ends as failed with the reason', async () => {
    // given
    const started = await t.engine.startInstance({
      processId: 'order-fulfilment',
      variables: { orderId: 'C-3', amount: 800, declineCard: true },
    });
    // when
    const done = await waitStatus(t.engine, started.id, 'completed');
    // then
    expect(done.variables).toMatchObject({ failureReason: 'PAYMENT_DECLINED', stockReleased: true });
    expect(done.variables).not.toHaveProperty('paymentVoided');
    expect(await idsOf(t.engine, started.id, 'element-compensated')).toEqual(['Task_ReserveStock']);
    const completed = await idsOf(t.engine, started.id, 'element-completed');
    expect(completed).toContain('Task_ReleaseStock');
    expect(completed).not.toContain('Task_VoidPayment');
    expect(completed).not.toContain('Task_CancelShipment');
    expect(completed).not.toContain('Task_ScheduleShipping');
    expect(completed.indexOf('Event_UndoCompleted')).toBeGreaterThan(completed.indexOf('Task_ReleaseStock'));
    expect(await completions(t.engine, started.id, 'End_Failed')).toBe(1);
    expect(await completions(t.engine, started.id, 'End_Fulfilled')).toBe(0);
    expect(await idsOf(t.engine, started.id, 'element-terminated')).toContain('Task_AuthorizePayment');
  });

  it('declines above 5000 without a card flag', async () => {
    const started = await t.engine.startInstance({
      processId: 'order-fulfilment',
      variables: { orderId: 'D-4', amount: 6000 },
    });
    await completeUserTask(t.engine, started.id, 'Task_ConfirmLargeOrder');
    const done = await waitStatus(t.engine, started.id, 'completed');
    expect(done.variables.failureReason).toBe('PAYMENT_DECLINED');
    expect(await idsOf(t.engine, started.id, 'element-compensated')).toEqual(['Task_ReserveStock']);
  });

  it('voids the payment, then releases the stock, when no carrier ships the order', async () => {
    // given
    const started = await t.engine.startInstance({
      processId: 'order-fulfilment',
      variables: { orderId: 'E-5', amount: 300, noCarrier: true },
    });
    // when
    const done = await waitStatus(t.engine, started.id, 'completed');
    // then: reverse order of completion (payment completed after the reservation)
    expect(done.variables).toMatchObject({ failureReason: 'NO_CARRIER', paymentVoided: true, stockReleased: true });
    expect(await idsOf(t.engine, started.id, 'element-compensated')).toEqual([
      'Task_AuthorizePayment',
      'Task_ReserveStock',
    ]);
    const handlersRun = (await idsOf(t.engine, started.id, 'element-completed')).filter(
      (id) => id === 'Task_VoidPayment' || id === 'Task_ReleaseStock',
    );
    expect(handlersRun).toEqual(['Task_VoidPayment', 'Task_ReleaseStock']);
    expect(await idsOf(t.engine, started.id, 'element-activated')).not.toContain('Task_CancelShipment');
    expect((await history(t.engine, started.id)).at(-1)).toMatchObject({ type: 'process-completed' });
  });
});
