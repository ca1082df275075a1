import { describe, expect, it } from 'vitest';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

function compTask(id: string, type: string, handler: string, handlerType: string): string {
  return `${job(id, type)}
    <bpmn:boundaryEvent id="Comp_${id}" attachedToRef="${id}"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
    <bpmn:serviceTask id="${handler}" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="${handlerType}" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:association id="As_${id}" sourceRef="Comp_${id}" targetRef="${handler}" />`;
}

describe('compensation', () => {
  it('runs handlers one at a time in reverse order of completion, for completed activities only', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />
      ${compTask('Flight', 'flight', 'UndoFlight', 'undo-flight')}
      ${compTask('Hotel', 'hotel', 'UndoHotel', 'undo-hotel')}
      <bpmn:endEvent id="Undo"><bpmn:compensateEventDefinition /></bpmn:endEvent>
      ${flow('f1', 'S', 'Flight')}${flow('f2', 'Flight', 'Hotel')}${flow('f3', 'Hotel', 'Undo')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    d.completeJob('flight');
    d.completeJob('hotel');
    // then only the newest completion's handler runs first
    expect([...d.jobs.values()].map((j) => j.type)).toEqual(['undo-hotel']);
    d.completeJob('undo-hotel');
    expect([...d.jobs.values()].map((j) => j.type)).toEqual(['undo-flight']);
    d.completeJob('undo-flight');
    expect(d.history.filter((h) => h.type === 'element-compensated').map((h) => h.elementId)).toEqual([
      'Hotel',
      'Flight',
    ]);
    expect(d.state.status).toBe('completed');
  });
});

describe('multi-instance', () => {
  it('parallel: one iteration per item, output collection in input order whatever the completion order', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />
      <bpmn:serviceTask id="Price"><bpmn:extensionElements><zeebe:taskDefinition type="price" /></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="prices" outputElement="=price" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask><bpmn:endEvent id="E" />${flow('f1', 'S', 'Price')}${flow('f2', 'Price', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ items: ['a', 'b', 'c'] });
    const keys = [...d.jobs.keys()];
    expect(keys).toHaveLength(3);
    // when they complete in reverse order
    for (const [i, k] of [...keys].reverse().entries())
      d.send({ type: 'CompleteJob', jobKey: k, variables: { price: 30 - i * 10 } });
    // then outputs follow the input order
    expect(d.vars()['prices']).toEqual([10, 20, 30]);
    expect(d.vars()).not.toHaveProperty('item');
    expect(d.state.status).toBe('completed');
  });

  it('sequential with a completion condition stops early', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />
      <bpmn:serviceTask id="Try"><bpmn:extensionElements><zeebe:taskDefinition type="try" /></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2,3,4]" inputElement="n" /></bpmn:extensionElements>
          <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=found</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask><bpmn:endEvent id="E" />${flow('f1', 'S', 'Try')}${flow('f2', 'Try', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ found: false });
    d.completeJob('try', { found: false });
    d.completeJob('try', { found: true });
    expect(d.state.status).toBe('completed');
    expect(d.history.filter((h) => h.type === 'job-completed')).toHaveLength(2);
  });
});

describe('variables', () => {
  it('input mappings are local; with output mappings only mapped results leave the element', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />${job('T', 't', '<zeebe:ioMapping><zeebe:input source="=a * 2" target="double" /><zeebe:output source="=result + double" target="total" /></zeebe:ioMapping>')}
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ a: 5 });
    d.completeJob('t', { result: 1, noise: true });
    expect(d.vars()).toEqual({ a: 5, total: 11 });
  });
});

describe('mapping targets with a path', () => {
  it('create or update the nested property, leaving the rest of the variable as it was', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />${job('T', 't', '<zeebe:ioMapping><zeebe:input source="=order.id" target="request.orderId" /><zeebe:output source="=total" target="order.total" /><zeebe:output source="=true" target="audit.checked.total" /></zeebe:ioMapping>')}
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ order: { id: 'o-1', items: 2 } });
    // then the input created a local variable with the nested property
    const local = Object.entries(d.state.vars).find(([k]) => k !== '1')?.[1];
    expect(local).toEqual({ request: { orderId: 'o-1' } });
    d.completeJob('t', { total: 42 });
    // then the outputs updated `order` in place and created `audit` with its nested path
    expect(d.vars()).toEqual({ order: { id: 'o-1', items: 2, total: 42 }, audit: { checked: { total: true } } });
  });
});

describe('compensation from an event sub-process', () => {
  it('compensates the completed activities of the enclosing scope', async () => {
    // given a booking that completed, then a job error caught by an error event sub-process that compensates
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />
      ${compTask('Book', 'book', 'Unbook', 'unbook')}
      ${job('Pay', 'pay')}<bpmn:endEvent id="E" />
      <bpmn:subProcess id="OnError" triggeredByEvent="true">
        <bpmn:startEvent id="ErrStart"><bpmn:errorEventDefinition /></bpmn:startEvent>
        <bpmn:intermediateThrowEvent id="Undo"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="ErrEnd" />
        ${flow('e1', 'ErrStart', 'Undo')}${flow('e2', 'Undo', 'ErrEnd')}
      </bpmn:subProcess>
      ${flow('f1', 'S', 'Book')}${flow('f2', 'Book', 'Pay')}${flow('f3', 'Pay', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    d.completeJob('book');
    d.send({ type: 'ThrowJobError', jobKey: d.jobOf('pay'), errorCode: 'FAILED' });
    // then the handler of the booking runs, and after it the event sub-process ends the instance
    expect([...d.jobs.values()].map((j) => j.type)).toEqual(['unbook']);
    d.completeJob('unbook');
    expect(d.history.filter((h) => h.type === 'element-compensated').map((h) => h.elementId)).toEqual(['Book']);
    expect(d.state.status).toBe('completed');
  });
});

describe('multi-instance incidents', () => {
  it('a completion condition that cannot be evaluated is an incident; its retry decides again and keeps the outputs', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />
      <bpmn:serviceTask id="Check"><bpmn:extensionElements><zeebe:taskDefinition type="check" /></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2,3]" inputElement="n" outputCollection="results" outputElement="=n * 10" /></bpmn:extensionElements>
          <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=stop</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask><bpmn:endEvent id="E" />${flow('f1', 'S', 'Check')}${flow('f2', 'Check', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ stop: 'not a boolean' });
    d.completeJob('check');
    // then the body holds an incident and no next iteration started
    const [inc] = d.incidents();
    expect(inc?.elementId).toBe('Check');
    expect(d.jobs.size).toBe(0);
    // when the variable is fixed and the incident retried, then the body completes with the output so far
    d.send({ type: 'SetVariables', variables: { stop: true } });
    d.send({ type: 'RetryIncident', incidentId: inc!.id });
    expect(d.state.status).toBe('completed');
    expect(d.vars()['results']).toEqual([10, null, null]);
  });
});
