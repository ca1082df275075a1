/**
 * Execution listeners (zeebe:executionListeners) as Camunda 8.6+ runs them, driven through the pure
 * core: jobs of their own type, in order, before (start) and after (end) the element.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import { bpmn, compile, CoreDriver, flow } from './harness.js';

/** `<zeebe:executionListeners>` with `[eventType, type, retries?]` entries. */
function listeners(...ls: [string, string, string?][]): string {
  const items = ls
    .map(([e, t, r]) => `<zeebe:executionListener eventType="${e}" type="${t}"${r ? ` retries="${r}"` : ''} />`)
    .join('');
  return `<zeebe:executionListeners>${items}</zeebe:executionListeners>`;
}

function task(id: string, type: string, ext = '', more = ''): string {
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${ext}</bpmn:extensionElements>${more}</bpmn:serviceTask>`;
}

function openTypes(d: CoreDriver): string[] {
  return [...d.jobs.values()].map((j) => j.type);
}

describe('execution listeners on a service task', () => {
  const model = () =>
    compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />
        ${task(
          'Charge',
          'charge',
          `<zeebe:ioMapping><zeebe:input source="=amount * 2" target="doubled" /><zeebe:output source="=receipt" target="receipt" /></zeebe:ioMapping>` +
            listeners(['start', 'load-customer'], ['start', 'check-limit'], ['end', 'audit', '1']),
        )}
        <bpmn:endEvent id="E" />${flow('f1', 'S', 'Charge')}${flow('f2', 'Charge', 'E')}`,
      ),
    );

  it('runs start listeners in order before the job, end listeners after it, then leaves', async () => {
    // given an instance at the task
    const d = new CoreDriver(await model()).start({ amount: 5 });
    // then only the first start listener runs, and it sees the input mapping
    expect(openTypes(d)).toEqual(['load-customer']);
    expect(d.state.vars[d.state.elements[Object.keys(d.state.elements).find((k) => k !== '1')!]!.key]).toEqual({
      doubled: 10,
    });
    // when it completes with a variable
    d.completeJob('load-customer', { customer: 'ada' });
    // then the second listener runs, and the variable is local to the task
    expect(openTypes(d)).toEqual(['check-limit']);
    expect(d.vars()).not.toHaveProperty('customer');
    d.completeJob('check-limit');
    // then the task's own job opens (no boundary or work before the listeners are done)
    expect(openTypes(d)).toEqual(['charge']);
    d.completeJob('charge', { receipt: 'R1' });
    // then the end listener runs after the output mapping, before the flow is taken
    expect(openTypes(d)).toEqual(['audit']);
    expect(d.vars()).toMatchObject({ receipt: 'R1' });
    expect(d.completed()).not.toContain('Charge');
    d.completeJob('audit', { audited: true });
    // then its variables propagate like output mappings, and the instance ends
    expect(d.vars()).toMatchObject({ receipt: 'R1', audited: true });
    expect(d.vars()).not.toHaveProperty('customer');
    expect(d.state.status).toBe('completed');
    expect(d.history.filter((h) => h.type === 'listener-completed').map((h) => h['eventType'])).toEqual([
      'start',
      'start',
      'end',
    ]);
  });

  it('retries a failed listener job, then raises an incident whose retry runs only that listener', async () => {
    const d = new CoreDriver(await model()).start({ amount: 1 });
    d.completeJob('load-customer');
    // when the second listener fails with no retries left
    expect(
      d.send({ type: 'FailJob', jobKey: d.jobOf('check-limit'), retries: 0, errorMessage: 'down' }),
    ).toBeUndefined();
    // then an incident holds the element
    expect(d.incidents()).toHaveLength(1);
    expect(d.incidents()[0]).toMatchObject({ type: 'JOB_NO_RETRIES', elementId: 'Charge', message: 'down' });
    // when retried, the same listener job runs again (the first is not repeated)
    d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id, retries: 2 });
    expect(d.incidents()).toHaveLength(0);
    const listenerJob = d.state.elements[Object.keys(d.state.elements).find((k) => k !== '1')!]!.job!.key;
    expect(d.effects.filter((e) => e.type === 'UpdateJob' && e.key === listenerJob).at(-1)).toMatchObject({
      retries: 2,
      state: 'activatable',
    });
    d.completeJob('check-limit');
    expect(openTypes(d)).toEqual(['charge']);
    expect(d.history.filter((h) => h.type === 'listener-started').map((h) => h['index'])).toEqual([0, 1]);
  });

  it('refuses a BPMN error thrown by a listener job, as Camunda 8 does', async () => {
    const d = new CoreDriver(await model()).start({ amount: 1 });
    const out = d.sendRaw({ type: 'ThrowJobError', jobKey: d.jobOf('load-customer'), errorCode: 'E' });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.code).toBe('LISTENER_JOB_ERROR');
    expect(openTypes(d)).toEqual(['load-customer']);
  });

  it('an end listener whose type cannot be evaluated raises an incident; its retry runs the output mappings and all end listeners again', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${task('T', 't', listeners(['end', 'first'], ['end', '=kind']))}<bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    d.completeJob('t');
    d.completeJob('first');
    expect(d.incidents()).toHaveLength(1);
    expect(d.incidents()[0]!.type).toBe('EXPRESSION_FAILED');
    d.send({ type: 'SetVariables', variables: { kind: 'second' } });
    d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id });
    expect(openTypes(d)).toEqual(['first']);
    d.completeJob('first').completeJob('second');
    expect(d.state.status).toBe('completed');
  });

  it('a start listener sets the variable a gateway decides on, and an end listener on the process runs last', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:extensionElements>${listeners(['start', 'proc-start'], ['end', 'proc-end'])}</bpmn:extensionElements>
        <bpmn:startEvent id="S" />
        <bpmn:exclusiveGateway id="G"><bpmn:extensionElements>${listeners(['start', 'route'])}</bpmn:extensionElements></bpmn:exclusiveGateway>
        <bpmn:endEvent id="Big" /><bpmn:endEvent id="Small" />
        ${flow('f1', 'S', 'G')}${flow('f2', 'G', 'Big', '=size &gt; 10')}${flow('f3', 'G', 'Small', '=size &lt;= 10')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    // the process start listener runs before the start event
    expect(openTypes(d)).toEqual(['proc-start']);
    expect(d.completed()).toEqual([]);
    d.completeJob('proc-start', { origin: 'web' });
    expect(d.vars()).toMatchObject({ origin: 'web' });
    d.completeJob('route', { size: 42 });
    expect(d.completed()).toContain('Big');
    // the process waits for its end listener
    expect(d.state.status).toBe('active');
    d.completeJob('proc-end', { closed: true });
    expect(d.state.status).toBe('completed');
    expect(d.vars()).toMatchObject({ closed: true });
  });

  it('boundary events are armed only after the start listeners, and a terminated element drops its listener job', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />
        ${task('T', 't', listeners(['start', 'prep']))}
        <bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:endEvent id="E" /><bpmn:endEvent id="E2" />
        ${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}${flow('f3', 'B', 'E2')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    expect(d.timers.size).toBe(0);
    d.completeJob('prep');
    expect(d.timers.size).toBe(1);
    d.advance(60_000);
    expect(d.completed()).toContain('E2');
    expect(d.jobs.size).toBe(0);
  });
});

describe('execution listeners at deploy', () => {
  async function problems(body: string): Promise<string[]> {
    return (await compileBpmn(bpmn('p', body))).problems.map((p) => `${p.elementId}: ${p.message}`);
  }

  it('refuses what Camunda 8 refuses, naming the element', async () => {
    const found = await problems(`
      <bpmn:startEvent id="S"><bpmn:extensionElements>${listeners(['start', 'x'])}</bpmn:extensionElements></bpmn:startEvent>
      <bpmn:parallelGateway id="G"><bpmn:extensionElements>${listeners(['end', 'x'])}</bpmn:extensionElements></bpmn:parallelGateway>
      ${task('T', 't', listeners(['start', 'dup'], ['start', 'dup']))}
      <bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:extensionElements>${listeners(['start', 'x'])}</bpmn:extensionElements><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="Err"><bpmn:extensionElements>${listeners(['end', 'x'])}</bpmn:extensionElements><bpmn:errorEventDefinition /></bpmn:endEvent>
      <bpmn:intermediateThrowEvent id="Esc"><bpmn:extensionElements>${listeners(['end', 'x'])}</bpmn:extensionElements><bpmn:escalationEventDefinition /></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="E" />
      ${flow('f1', 'S', 'G')}${flow('f2', 'G', 'T')}${flow('f3', 'T', 'Esc')}${flow('f5', 'Esc', 'E')}${flow('f4', 'B', 'Err')}`);
    expect(found.find((p) => p.startsWith('S:'))).toMatch(/no start execution listeners on start event/);
    expect(found.find((p) => p.startsWith('G:'))).toMatch(/no end execution listeners on gateway/);
    expect(found.find((p) => p.startsWith('T:'))).toMatch(/defined twice/);
    expect(found.find((p) => p.startsWith('B:'))).toMatch(/no start execution listeners on boundary event/);
    expect(found.find((p) => p.startsWith('Err:'))).toMatch(/error end event/);
    expect(found.find((p) => p.startsWith('Esc:'))).toMatch(/escalation throw event/);
  });

  it('accepts end listeners on start events and start listeners on gateways, with headers merged', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S"><bpmn:extensionElements>${listeners(['end', 'x'])}</bpmn:extensionElements></bpmn:startEvent>
        <bpmn:endEvent id="E" />${flow('f1', 'S', 'E')}`,
      ),
    );
    expect(m.elements['S']!.listeners?.end?.[0]?.type.src).toBe('x');
  });
});
