/**
 * The core hands FEEL the command's world through its context: `now()` and `today()` read the
 * command's clock, `uuid()` and `random number()` the randomness the runtime passes, the budget its
 * `feelBudget`; an evaluation over budget becomes a BUDGET_EXCEEDED incident wherever expressions
 * are evaluated.
 */
import { describe, expect, it } from 'vitest';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

const script = (id: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression.replace(/"/g, '&quot;')}" resultVariable="${result}" /></bpmn:extensionElements></bpmn:scriptTask>`;

describe('FEEL in the core reads the command’s world', () => {
  it('now() and today() answer the time of the command that evaluates them', async () => {
    // given a script before and after a timer of one day
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${script('Before', '=now()', 'before')}
        <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT24H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${script('After', '=today()', 'after')}<bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'Before')}${flow('f2', 'Before', 'Wait')}${flow('f3', 'Wait', 'After')}${flow('f4', 'After', 'E')}`,
      ),
    );
    const d = new CoreDriver(m);
    d.now = Date.UTC(2024, 1, 28, 23, 0, 0);
    // when started, then the timer fires a day later
    d.start();
    d.advance(24 * 3600_000);
    // then each script saw its own command's clock
    expect(d.vars()).toMatchObject({ before: '2024-02-28T23:00:00Z', after: '2024-02-29' });
  });

  it('uuid() and random number() come from the randomness in the context', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${script('U', '=uuid()', 'id')}${script('R', '=random number()', 'r')}<bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'U')}${flow('f2', 'U', 'R')}${flow('f3', 'R', 'E')}`,
      ),
    );
    const d = new CoreDriver(m);
    d.random = () => 0;
    d.start();
    expect(d.vars()).toEqual({ id: '00000000-0000-4000-8000-000000000000', r: 0 });
  });
});

describe('the FEEL budget in the core', () => {
  it('is the context’s feelBudget; over it, the script gets a BUDGET_EXCEEDED incident', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${script('T', '=for i in 1..n return i', 'out')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );
    // given a budget of 10 units
    const within = new CoreDriver(m);
    within.feelBudget = 10;
    within.start({ n: 10 });
    expect(within.state.status).toBe('completed');
    const over = new CoreDriver(m);
    over.feelBudget = 10;
    over.start({ n: 11 });
    expect(over.incidents()).toEqual([
      expect.objectContaining({
        elementId: 'T',
        type: 'BUDGET_EXCEEDED',
        message: expect.stringMatching(/budget of 10/),
      }),
    ]);
    // and the history names the budget that ran out, as for every other budget
    expect(over.history.find((h) => h.type === 'incident-created')).toMatchObject({
      incidentType: 'BUDGET_EXCEEDED',
      budget: 'feelBudget',
      limit: 10,
    });
  });

  it('over budget in a gateway condition is BUDGET_EXCEEDED too', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" /><bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'G')}${flow('f2', 'G', 'E', '=count(for i in 1..n return i) &gt; 0')}`,
      ),
    );
    // given a budget of 7: the range costs n, count() one more
    const within = new CoreDriver(m);
    within.feelBudget = 7;
    within.start({ n: 6 });
    expect(within.state.status).toBe('completed');
    const over = new CoreDriver(m);
    over.feelBudget = 7;
    over.start({ n: 7 });
    expect(over.incidents()).toEqual([expect.objectContaining({ elementId: 'G', type: 'BUDGET_EXCEEDED' })]);
  });

  it('over budget in an input mapping is BUDGET_EXCEEDED too', async () => {
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />
        ${job('A', 'a', '<zeebe:ioMapping><zeebe:input source="=for i in 1..n return i" target="c" /></zeebe:ioMapping>')}
        <bpmn:endEvent id="E" />${flow('f1', 'S', 'A')}${flow('f2', 'A', 'E')}`,
      ),
    );
    const over = new CoreDriver(m);
    over.feelBudget = 5;
    over.start({ n: 6 });
    expect(over.incidents()).toEqual([expect.objectContaining({ elementId: 'A', type: 'BUDGET_EXCEEDED' })]);
    expect(over.jobs.size).toBe(0);
  });
});

describe('a multi-instance output element that fails', () => {
  const model = (outputElement: string) =>
    compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />
        <bpmn:serviceTask id="A"><bpmn:extensionElements><zeebe:taskDefinition type="a" /></bpmn:extensionElements>
          <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=[1, 2]" inputElement="x" outputCollection="out" outputElement="${outputElement}" />
          </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
        <bpmn:endEvent id="E" />${flow('f1', 'S', 'A')}${flow('f2', 'A', 'E')}`,
      ),
    );

  it('raises an incident on the iteration instead of collecting a silent null; fixed, the retry collects it', async () => {
    // given an output element that calls a function nobody defined unless `fixed`
    const d = new CoreDriver(await model('=if fixed = true then x * 10 else frobnicate(x)')).start({ fixed: false });
    // when the first iteration completes
    d.completeJob('a');
    // then an incident names the function, and nothing was collected
    expect(d.incidents()).toEqual([
      expect.objectContaining({
        elementId: 'A',
        type: 'EXPRESSION_FAILED',
        message: expect.stringMatching(/frobnicate/),
      }),
    ]);
    // when the variable is fixed and the incident retried
    d.state.vars['1']!.fixed = true;
    expect(d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id })).toBeUndefined();
    d.completeJob('a');
    // then both outputs are collected and the instance completes
    expect(d.state.status).toBe('completed');
    expect(d.vars().out).toEqual([10, 20]);
  });
});
