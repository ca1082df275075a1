/**
 * Compensation rows: throw with activityRef, compensation of a completed sub-process (its inner
 * handlers, in reverse order), multi-instance iterations (only the completed ones), the
 * compensation event sub-process, and a transaction left by a cancel end event (compensation,
 * then the cancel boundary).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activate,
  bpmn,
  chain,
  compensate,
  completeJob,
  completions,
  end,
  idsOf,
  job,
  run,
  start,
  startEngine,
  waitStatus,
  type TestEngine,
} from './helpers.js';

const handler = (task: string, type: string) =>
  `<bpmn:boundaryEvent id="Comp_${task}" attachedToRef="${task}">${compensate()}</bpmn:boundaryEvent>` +
  job(`Undo_${task}`, type, '', '', ' isForCompensation="true"') +
  `<bpmn:association id="Assoc_${task}" associationDirection="One" sourceRef="Comp_${task}" targetRef="Undo_${task}" />`;
const throwComp = (id: string, activityRef?: string) =>
  `<bpmn:intermediateThrowEvent id="${id}">${compensate(activityRef)}</bpmn:intermediateThrowEvent>`;

describe('compensation', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('a throw with activityRef compensates only that activity', async () => {
    const xml = bpmn(
      'sem_comp_ref',
      [
        start(),
        '<bpmn:task id="A" />',
        '<bpmn:task id="B" />',
        throwComp('UndoB', 'B'),
        end(),
        chain('Start', 'A', 'B', 'UndoB', 'End'),
        handler('A', 'sem-comp-ref.a'),
        handler('B', 'sem-comp-ref.b'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_comp_ref');
    await completeJob(t.engine, 'sem-comp-ref.b');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-compensated')).toEqual(['B']);
    expect(await completions(t.engine, i.id, 'Undo_A')).toBe(0);
    expect(await completions(t.engine, i.id, 'Undo_B')).toBe(1);
  });

  it('compensating a completed sub-process runs its inner handlers in reverse order of completion', async () => {
    const xml = bpmn(
      'sem_comp_sub',
      [
        start(),
        '<bpmn:subProcess id="Sub">',
        start('SubStart'),
        '<bpmn:task id="A" />',
        '<bpmn:task id="B" />',
        end('SubEnd'),
        chain('SubStart', 'A', 'B', 'SubEnd'),
        handler('A', 'sem-comp-sub.a'),
        handler('B', 'sem-comp-sub.b'),
        '</bpmn:subProcess>',
        throwComp('Undo'),
        end(),
        chain('Start', 'Sub', 'Undo', 'End'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_comp_sub');
    await completeJob(t.engine, 'sem-comp-sub.b');
    await completeJob(t.engine, 'sem-comp-sub.a');
    await waitStatus(t.engine, i.id, 'completed');
    const handlersRun = (await idsOf(t.engine, i.id, 'element-completed')).filter((x) => x.startsWith('Undo_'));
    expect(handlersRun).toEqual(['Undo_B', 'Undo_A']);
    expect(await idsOf(t.engine, i.id, 'element-compensated')).toEqual(expect.arrayContaining(['A', 'B']));
  });

  it('compensates each completed multi-instance iteration, in reverse order, and not those the completion condition ended', async () => {
    // given: Book runs per item; two completed iterations are enough
    const mi =
      '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements>' +
      '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>';
    const xml = bpmn(
      'sem_comp_mi',
      [
        start(),
        job('Book', 'sem-comp-mi.book', '', mi),
        throwComp('UndoAll'),
        end(),
        chain('Start', 'Book', 'UndoAll', 'End'),
        handler('Book', 'sem-comp-mi.undo'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_comp_mi', { items: ['a', 'b', 'c'] });
    const jobs = [
      await activate(t.engine, 'sem-comp-mi.book'),
      await activate(t.engine, 'sem-comp-mi.book'),
      await activate(t.engine, 'sem-comp-mi.book'),
    ];
    const byItem = new Map(jobs.map((j) => [j.variables.item as string, j]));
    // when: c, then a complete; b is ended by the completion condition
    await t.engine.completeJob(byItem.get('c')!.key);
    await t.engine.completeJob(byItem.get('a')!.key);
    const undone: unknown[] = [];
    for (let n = 0; n < 2; n++) {
      const u = await activate(t.engine, 'sem-comp-mi.undo');
      undone.push(u.variables.item);
      await t.engine.completeJob(u.key);
    }
    // then: the undo for a (completed last) runs first, none for b
    await waitStatus(t.engine, i.id, 'completed');
    expect(undone).toEqual(['a', 'c']);
    expect(await completions(t.engine, i.id, 'Undo_Book')).toBe(2);
    expect(
      (await idsOf(t.engine, i.id, 'element-compensated')).filter((x) => x === 'Book').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('a compensation event sub-process replaces the inner handlers of its sub-process', async () => {
    const xml = bpmn(
      'sem_comp_esp',
      [
        start(),
        '<bpmn:subProcess id="Sub">',
        start('SubStart'),
        '<bpmn:task id="A" />',
        end('SubEnd'),
        chain('SubStart', 'A', 'SubEnd'),
        handler('A', 'sem-comp-esp.a'),
        '<bpmn:subProcess id="CompEsp" triggeredByEvent="true">',
        `<bpmn:startEvent id="CompStart">${compensate()}</bpmn:startEvent>`,
        job('UndoSub', 'sem-comp-esp.sub'),
        end('CompEnd'),
        chain('CompStart', 'UndoSub', 'CompEnd'),
        '</bpmn:subProcess>',
        '</bpmn:subProcess>',
        throwComp('Undo'),
        end(),
        chain('Start', 'Sub', 'Undo', 'End'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_comp_esp');
    await completeJob(t.engine, 'sem-comp-esp.sub');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await completions(t.engine, i.id, 'UndoSub')).toBe(1);
    expect(await completions(t.engine, i.id, 'CompEnd')).toBe(1);
    expect(await idsOf(t.engine, i.id, 'element-compensated')).toContain('Sub');
  });

  it('a cancel end event in a transaction compensates its completed activities, then leaves by the cancel boundary', async () => {
    const xml = bpmn(
      'sem_tx_cancel',
      [
        start(),
        '<bpmn:transaction id="Tx">',
        start('TxStart'),
        job('Book', 'sem-tx.book'),
        '<bpmn:exclusiveGateway id="Ok" default="F_Ok_Abort" />',
        end('TxEnd'),
        end('Abort', '<bpmn:cancelEventDefinition />'),
        chain('TxStart', 'Book', 'Ok'),
        `<bpmn:sequenceFlow id="F_Ok_TxEnd" sourceRef="Ok" targetRef="TxEnd"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=paid</bpmn:conditionExpression></bpmn:sequenceFlow>`,
        chain('Ok', 'Abort'),
        handler('Book', 'sem-tx.unbook'),
        '</bpmn:transaction>',
        '<bpmn:boundaryEvent id="Cancelled" attachedToRef="Tx"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>',
        job('Notify', 'sem-tx.notify'),
        end('CancelledEnd'),
        end(),
        chain('Start', 'Tx', 'End'),
        chain('Cancelled', 'Notify', 'CancelledEnd'),
      ].join('\n'),
    );
    // given: a paid booking completes the transaction normally
    const ok = await run(t.engine, xml, 'sem_tx_cancel', { paid: true });
    await completeJob(t.engine, 'sem-tx.book', undefined, ok.id);
    await waitStatus(t.engine, ok.id, 'completed');
    expect(await completions(t.engine, ok.id, 'End')).toBe(1);
    // when: an unpaid one is cancelled
    const bad = await t.engine.startInstance({ processId: 'sem_tx_cancel', variables: { paid: false } });
    await completeJob(t.engine, 'sem-tx.book', undefined, bad.id);
    await completeJob(t.engine, 'sem-tx.unbook', undefined, bad.id);
    await completeJob(t.engine, 'sem-tx.notify', undefined, bad.id);
    // then
    await waitStatus(t.engine, bad.id, 'completed');
    const completed = await idsOf(t.engine, bad.id, 'element-completed');
    expect(completed.indexOf('Undo_Book')).toBeLessThan(completed.indexOf('Cancelled'));
    expect(await completions(t.engine, bad.id, 'CancelledEnd')).toBe(1);
    expect(await completions(t.engine, bad.id, 'End')).toBe(0);
    expect(await completions(t.engine, bad.id, 'Tx')).toBe(0);
    expect(await idsOf(t.engine, bad.id, 'element-terminated')).toContain('Tx');
    expect(await idsOf(t.engine, bad.id, 'element-compensated')).toEqual(['Book']);
  });
});
