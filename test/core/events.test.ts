import { describe, expect, it } from 'vitest';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

const MSG = `<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`;

describe('timers (fake clock)', () => {
  it('an intermediate timer holds the token for its duration', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Wait')}${flow('f2', 'Wait', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    // given the timer scheduled 10 s ahead
    expect([...d.timers.values()]).toEqual([d.now + 10_000]);
    // when 9.9 s pass, then nothing happens
    d.advance(9_900);
    expect(d.active()).toEqual(['Wait']);
    // when the due time passes, then the token moves on
    d.advance(100);
    expect(d.state.status).toBe('completed');
  });

  it('a non-interrupting cycle boundary repeats; the interrupting one ends the task and cancels the cycle', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />${job('T', 't')}<bpmn:endEvent id="E" /><bpmn:endEvent id="E_Remind" /><bpmn:endEvent id="E_Late" />
      <bpmn:boundaryEvent id="Remind" attachedToRef="T" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R5/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="Late" attachedToRef="T"><bpmn:timerEventDefinition><bpmn:timeDuration>PT3.5S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}${flow('f3', 'Remind', 'E_Remind')}${flow('f4', 'Late', 'E_Late')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    d.advance(10_000);
    expect(d.completed().filter((x) => x === 'Remind')).toHaveLength(3);
    expect(d.terminated()).toEqual(['T']);
    expect(d.completed()).toContain('E_Late');
    expect(d.timers.size).toBe(0);
    expect(d.jobs.size).toBe(0);
    expect(d.state.status).toBe('completed');
  });
});

describe('messages', () => {
  it('a catch event opens a subscription with its evaluated correlation key and takes the message variables', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Paid')}${flow('f2', 'Paid', 'E')}`,
        MSG,
      ),
    );
    const d = new CoreDriver(m).start({ orderId: 'o-7' });
    const key = d.subscriptionOf('paid');
    expect(d.subscriptions.get(key)).toEqual({ kind: 'message', name: 'paid', correlationKey: 'o-7' });
    d.send({ type: 'CorrelateMessage', subscriptionKey: key, variables: { amount: 12 } });
    expect(d.vars()).toMatchObject({ orderId: 'o-7', amount: 12 });
    expect(d.subscriptions.size).toBe(0);
    expect(d.state.status).toBe('completed');
  });

  it('a suspended instance keeps the message and acts on it when resumed', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Paid')}${flow('f2', 'Paid', 'E')}`,
        MSG,
      ),
    );
    const d = new CoreDriver(m).start({ orderId: 'o-8' });
    const key = d.subscriptionOf('paid');
    d.send({ type: 'SuspendInstance', reason: 'audit' });
    d.send({ type: 'CorrelateMessage', subscriptionKey: key, variables: {} });
    expect(d.active()).toEqual(['Paid']);
    d.send({ type: 'ResumeInstance' });
    expect(d.state.status).toBe('completed');
    expect(d.history.find((h) => h.type === 'process-suspended')).toMatchObject({ reason: 'audit' });
  });
});

describe('errors', () => {
  it('a job error is caught by the boundary with the same code; the task is terminated', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" />${job('Charge', 'charge')}<bpmn:endEvent id="E" /><bpmn:endEvent id="E_Declined" /><bpmn:endEvent id="E_Other" />
      <bpmn:boundaryEvent id="Declined" attachedToRef="Charge"><bpmn:errorEventDefinition errorRef="Err_D" /></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="Any" attachedToRef="Charge"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
      ${flow('f1', 'S', 'Charge')}${flow('f2', 'Charge', 'E')}${flow('f3', 'Declined', 'E_Declined')}${flow('f4', 'Any', 'E_Other')}`,
        '<bpmn:error id="Err_D" name="declined" errorCode="DECLINED" />',
      ),
    );
    const d = new CoreDriver(m).start();
    d.send({ type: 'ThrowJobError', jobKey: d.jobOf('charge'), errorCode: 'DECLINED', variables: { why: 'limit' } });
    expect(d.terminated()).toEqual(['Charge']);
    expect(d.completed()).toEqual(['S', 'Declined', 'E_Declined']);
    expect(d.vars()).toMatchObject({ why: 'limit' });
  });

  it('an uncaught job error is an incident on the task', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${job('T', 't')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    d.send({ type: 'ThrowJobError', jobKey: d.jobOf('t'), errorCode: 'NOPE' });
    expect(d.incidents().map((i) => [i.elementId, i.type])).toEqual([['T', 'UNHANDLED_ERROR_EVENT']]);
  });
});

describe('cancel', () => {
  it('terminates every waiting element and closes its job', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${job('T', 't')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    d.send({ type: 'CancelInstance', reason: 'customer withdrew', actor: 'ops' });
    expect(d.state.status).toBe('cancelled');
    expect(d.terminated()).toEqual(['T']);
    expect(d.jobs.size).toBe(0);
    expect(d.send({ type: 'CompleteJob', jobKey: 'x' })).toBe('INSTANCE_NOT_ACTIVE');
  });
});

describe('suspension', () => {
  it('a message kept for a suspended instance closes the one-shot subscription, so a second one finds none', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Paid')}${flow('f2', 'Paid', 'E')}`,
        MSG,
      ),
    );
    const d = new CoreDriver(m).start({ orderId: 'o-9' });
    const key = d.subscriptionOf('paid');
    d.send({ type: 'SuspendInstance' });
    d.send({ type: 'CorrelateMessage', subscriptionKey: key, variables: { n: 1 } });
    // then the subscription is gone from the outside view while the message waits for the resume
    expect(d.subscriptions.size).toBe(0);
    d.send({ type: 'ResumeInstance' });
    expect(d.vars()).toMatchObject({ n: 1 });
    expect(d.state.status).toBe('completed');
  });
});

describe('suspended instances take no step', () => {
  it('an open incident is not retried while the instance is suspended, and is after the resume', async () => {
    // given an instance with an incident: its script fails for want of a variable
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" /><bpmn:scriptTask id="Calc"><bpmn:extensionElements><zeebe:script expression="=assert(x, x != null) + 1" resultVariable="y" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'Calc')}${flow('f2', 'Calc', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({});
    const [incident] = Object.values(d.state.incidents);
    expect(incident?.elementId).toBe('Calc');
    // when it is suspended, the variable fixed and the incident retried
    d.send({ type: 'SuspendInstance' });
    d.send({ type: 'SetVariables', variables: { x: 1 } });
    // then the retry is refused and the incident stays open
    expect(d.send({ type: 'RetryIncident', incidentId: incident!.id })).toBe('INSTANCE_SUSPENDED');
    expect(Object.keys(d.state.incidents)).toEqual([incident!.id]);
    // and after the resume the same retry runs the script and the instance completes
    d.send({ type: 'ResumeInstance' });
    d.send({ type: 'RetryIncident', incidentId: incident!.id });
    expect(d.vars()).toMatchObject({ x: 1, y: 2 });
    expect(d.state.status).toBe('completed');
  });

  it('a condition made true while suspended fires only on resume', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="WhenReady"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=ready</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E" />${flow('f1', 'S', 'WhenReady')}${flow('f2', 'WhenReady', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ ready: false });
    d.send({ type: 'SuspendInstance' });
    d.send({ type: 'SetVariables', variables: { ready: true } });
    expect(d.active()).toEqual(['WhenReady']);
    d.send({ type: 'ResumeInstance' });
    expect(d.state.status).toBe('completed');
  });
});
