/**
 * processes/order-fulfilment.bpmn end to end, with the testing kit: the seed example. Stock is
 * reserved, payment authorised, shipping scheduled; a declined payment or a missing carrier
 * compensates exactly the activities that completed, in reverse order, and ends at "Order failed"
 * with a reason code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInstance, type TestEngine } from '../../engine/src/testing/index.js';
import { exampleEngine, exampleHandlers, history, idsOf } from './helpers.js';

describe('order-fulfilment example', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await exampleEngine(['order-fulfilment.bpmn'], await exampleHandlers());
  });
  afterEach(() => t.close());

  it('fulfils a small order without a user task', async () => {
    // given / when
    const order = await t.start('order-fulfilment', { orderId: 'A-1', amount: 250 });
    // then
    await expectInstance(order)
      .toBeCompleted()
      .toHaveVariables({ reservationId: 'RES-A-1', paymentId: 'PAY-A-1', shipmentId: 'SHIP-A-1' })
      .toHaveCompleted('End_Fulfilled')
      .toNotHaveReached('Task_ConfirmLargeOrder')
      .toHaveNoIncidents();
    expect(await idsOf(t.engine, order.id, 'element-compensated')).toEqual([]);
  });

  it('asks sales to confirm a large order, then fulfils it', async () => {
    // given
    const order = await t.start('order-fulfilment', { orderId: 'B-2', amount: 2500 });
    await expectInstance(order).toBeWaitingAt('Confirm large order');
    // when
    const task = await t.completeUserTask(order, 'Task_ConfirmLargeOrder', { confirmedBy: 'sam' });
    // then
    expect(task).toMatchObject({
      candidateGroups: ['sales'],
      formKey: 'confirm-large-order',
      name: 'Confirm large order',
    });
    await expectInstance(order)
      .toBeCompleted()
      .toHaveVariables({ confirmedBy: 'sam', shipmentId: 'SHIP-B-2' })
      .toHaveCompleted('End_Fulfilled');
  });

  it('releases only the reservation when billing declines, and ends as failed with the reason', async () => {
    // given / when
    const order = await t.start('order-fulfilment', { orderId: 'C-3', amount: 800, declineCard: true });
    // then
    const done = await expectInstance(order)
      .toBeCompleted()
      .toHaveVariables({ failureReason: 'PAYMENT_DECLINED', stockReleased: true })
      .toHaveCompensated('Task_ReserveStock')
      .toHaveCompletedInOrder('Task_ReleaseStock', 'Event_UndoCompleted', 'End_Failed')
      .toNotHaveReached('Task_VoidPayment', 'Task_CancelShipment', 'Task_ScheduleShipping', 'End_Fulfilled');
    expect(done.variables).not.toHaveProperty('paymentVoided');
    expect(await idsOf(t.engine, order.id, 'element-compensated')).toEqual(['Task_ReserveStock']);
    expect(await idsOf(t.engine, order.id, 'element-terminated')).toContain('Task_AuthorizePayment');
  });

  it('declines above 5000 without a card flag', async () => {
    const order = await t.start('order-fulfilment', { orderId: 'D-4', amount: 6000 });
    await t.completeUserTask(order, 'Task_ConfirmLargeOrder');
    await expectInstance(order).toBeCompleted().toHaveVariables({ failureReason: 'PAYMENT_DECLINED' });
    expect(await idsOf(t.engine, order.id, 'element-compensated')).toEqual(['Task_ReserveStock']);
  });

  it('voids the payment, then releases the stock, when no carrier ships the order', async () => {
    // given / when
    const order = await t.start('order-fulfilment', { orderId: 'E-5', amount: 300, noCarrier: true });
    // then: reverse order of completion (payment completed after the reservation)
    await expectInstance(order)
      .toBeCompleted()
      .toHaveVariables({ failureReason: 'NO_CARRIER', paymentVoided: true, stockReleased: true })
      .toHaveCompletedInOrder('Task_VoidPayment', 'Task_ReleaseStock')
      .toNotHaveReached('Task_CancelShipment');
    expect(await idsOf(t.engine, order.id, 'element-compensated')).toEqual([
      'Task_AuthorizePayment',
      'Task_ReserveStock',
    ]);
    const handlersRun = (await idsOf(t.engine, order.id, 'element-completed')).filter(
      (id) => id === 'Task_VoidPayment' || id === 'Task_ReleaseStock',
    );
    expect(handlersRun).toEqual(['Task_VoidPayment', 'Task_ReleaseStock']);
    expect((await history(t.engine, order.id)).at(-1)).toMatchObject({ type: 'process-completed' });
  });
});
