import { describe, expect, it } from 'vitest';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

describe('parallel gateway', () => {
  it('joins by counting tokens per incoming flow, firing once per full set', async () => {
    // given a fork into A and B joined again
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" /><bpmn:parallelGateway id="Join" />
      ${job('A', 'a')}${job('B', 'b')}<bpmn:endEvent id="E" />
      ${flow('f1', 'S', 'Fork')}${flow('f2', 'Fork', 'A')}${flow('f3', 'Fork', 'B')}
      ${flow('f4', 'A', 'Join')}${flow('f5', 'B', 'Join')}${flow('f6', 'Join', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    // when only B completes
    d.completeJob('b');
    // then the join holds the token and has not fired
    expect(d.completed()).not.toContain('Join');
    expect(d.state.status).toBe('active');
    // when A completes
    d.completeJob('a');
    // then the join fires exactly once and the instance completes
    expect(d.completed().filter((x) => x === 'Join')).toHaveLength(1);
    expect(d.state.status).toBe('completed');
  });

  it('does not fire on two tokens from the same flow (a loop feeding one side twice)', async () => {
    // given a join where one side is reached twice through a loop before the other side arrives
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" /><bpmn:parallelGateway id="Join" />
      <bpmn:exclusiveGateway id="Again" default="f_out" />
      ${job('A', 'a')}${job('B', 'b')}<bpmn:endEvent id="E" /><bpmn:endEvent id="E2" />
      ${flow('f1', 'S', 'Fork')}${flow('f2', 'Fork', 'A')}${flow('f3', 'Fork', 'B')}
      ${flow('f4', 'A', 'Again')}${flow('f_loop', 'Again', 'A', '=count &lt; 1')}${flow('f_out', 'Again', 'Join')}
      ${flow('f5', 'B', 'Join')}${flow('f6', 'Join', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ count: 0 });
    d.completeJob('a', { count: 1 });
    expect(d.completed().filter((x) => x === 'A')).toHaveLength(1);
    expect(d.completed()).not.toContain('Join');
    d.completeJob('b');
    expect(d.completed().filter((x) => x === 'Join')).toHaveLength(1);
    expect(d.state.status).toBe('completed');
  });
});

describe('exclusive gateway', () => {
  it('raises an incident when no condition holds and there is no default, and retries with new variables', async () => {
    // given
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" /><bpmn:endEvent id="Big" /><bpmn:endEvent id="Small" />
      ${flow('f1', 'S', 'G')}${flow('f2', 'G', 'Big', '=x &gt; 10')}${flow('f3', 'G', 'Small', '=x &lt; 5')}`,
      ),
    );
    const d = new CoreDriver(m).start({ x: 7 });
    // then the gateway holds the token with an incident
    expect(d.active()).toEqual(['G']);
    const [inc] = d.incidents();
    expect(inc?.type).toBe('CONDITION_FAILED');
    // when the variable is fixed and the incident retried
    d.send({ type: 'SetVariables', variables: { x: 3 } });
    d.send({ type: 'RetryIncident', incidentId: inc!.id });
    // then the flow goes on to the matching branch
    expect(d.completed()).toEqual(['S', 'G', 'Small']);
    expect(d.state.status).toBe('completed');
    expect(d.incidents()).toHaveLength(0);
  });
});

describe('inclusive gateway', () => {
  it('waits for exactly the branches that were activated', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:inclusiveGateway id="Split" /><bpmn:inclusiveGateway id="Join" />
      ${job('A', 'a')}${job('B', 'b')}${job('C', 'c')}<bpmn:endEvent id="E" />
      ${flow('f1', 'S', 'Split')}${flow('f2', 'Split', 'A', '=a')}${flow('f3', 'Split', 'B', '=b')}${flow('f4', 'Split', 'C', '=c')}
      ${flow('f5', 'A', 'Join')}${flow('f6', 'B', 'Join')}${flow('f7', 'C', 'Join')}${flow('f8', 'Join', 'E')}`,
      ),
    );
    const d = new CoreDriver(m).start({ a: true, b: false, c: true });
    expect(d.active().sort()).toEqual(['A', 'C']);
    d.completeJob('a');
    expect(d.completed()).not.toContain('Join');
    d.completeJob('c');
    expect(d.completed().filter((x) => x === 'Join')).toHaveLength(1);
    expect(d.state.status).toBe('completed');
  });
});

describe('endless loops', () => {
  it('stop with an incident after the step budget instead of hanging', async () => {
    const m = await compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" /><bpmn:task id="T" /><bpmn:endEvent id="E" />
      ${flow('f1', 'S', 'G')}${flow('f2', 'G', 'T', '=true')}${flow('f3', 'T', 'G')}${flow('f4', 'G', 'E', '=false')}`,
      ),
    );
    const d = new CoreDriver(m).start();
    expect(d.incidents().map((i) => i.type)).toEqual(['BUDGET_EXCEEDED']);
    expect(d.incidents()[0]!.message).toContain('2000 steps');
    expect(d.state.status).toBe('active');
  });
});

describe('complex gateway', () => {
  const twoOfThree = () =>
    compile(
      bpmn(
        'p',
        `
      <bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />
      <bpmn:complexGateway id="TwoOfThree"><bpmn:activationCondition xsi:type="bpmn:tFormalExpression">=_activeTokens &gt;= 2</bpmn:activationCondition></bpmn:complexGateway>
      ${job('A', 'a')}${job('B', 'b')}${job('C', 'c')}<bpmn:endEvent id="E" />
      ${flow('f1', 'S', 'Fork')}${flow('f2', 'Fork', 'A')}${flow('f3', 'Fork', 'B')}${flow('f4', 'Fork', 'C')}
      ${flow('f5', 'A', 'TwoOfThree')}${flow('f6', 'B', 'TwoOfThree')}${flow('f7', 'C', 'TwoOfThree')}${flow('f8', 'TwoOfThree', 'E')}`,
      ),
    );

  it('fires once when its activation condition holds and swallows the late tokens', async () => {
    const d = new CoreDriver(await twoOfThree()).start();
    d.completeJob('b');
    expect(d.completed()).not.toContain('TwoOfThree');
    d.completeJob('a');
    // then it fired after the second token and the flow went on
    expect(d.completed().filter((x) => x === 'TwoOfThree')).toHaveLength(1);
    expect(d.completed()).toContain('E');
    expect(d.state.status).toBe('active');
    // when the third token arrives it is swallowed, not passed on
    d.completeJob('c');
    expect(d.completed().filter((x) => x === 'TwoOfThree')).toHaveLength(1);
    expect(d.completed().filter((x) => x === 'E')).toHaveLength(1);
    expect(d.state.status).toBe('completed');
  });

  it('keeps its fired mark in a typed field, not among the flow counts, and forgets it when it resets', async () => {
    const d = new CoreDriver(await twoOfThree()).start();
    d.completeJob('b').completeJob('a');
    // then it fired: marked as fired, its counts hold flow ids only
    expect(d.state.complexFired).toEqual({ '1/TwoOfThree': true });
    expect(Object.keys(d.state.joins['1/TwoOfThree']!).sort()).toEqual(['f5', 'f6']);
    // when the last token is swallowed, the gateway resets
    d.completeJob('c');
    expect(d.state.complexFired).toEqual({});
    expect(d.state.joins).toEqual({});
  });

  it('reads a fired mark stored in the earlier form ($fired among the counts) and swallows the late token', async () => {
    // given an instance whose gateway fired, as an earlier version stored it
    const d = new CoreDriver(await twoOfThree()).start();
    d.completeJob('b').completeJob('a');
    delete d.state.complexFired;
    d.state.joins['1/TwoOfThree']!['$fired'] = 1;
    // when the third token arrives, then it is swallowed: the gateway does not fire again
    d.completeJob('c');
    expect(d.completed().filter((x) => x === 'TwoOfThree')).toHaveLength(1);
    expect(d.state.status).toBe('completed');
    expect(d.state.joins).toEqual({});
  });
});
