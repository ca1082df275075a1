/**
 * Budgets instead of freezes (issue 9, hole 3): every command runs under budgets of steps, new element
 * instances, tokens, call depth and CPU time. A budget used up stops the run at a consistent point,
 * keeps what is left with a BUDGET_EXCEEDED incident, and retrying it continues exactly there.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGETS } from '../../engine/src/core/budgets.js';
import {
  endlessLoop,
  fanOut,
  inclusiveLoop,
  nestedMultiInstance,
  selfCall,
  selfCallAfterTimer,
} from '../fixtures/attacks.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

/** Start, a chain of `n` tasks without wait states, end. */
function chain(n: number, extra = '', last = 'E'): string {
  const tasks = Array.from({ length: n }, (_, i) => `<bpmn:task id="T${i + 1}" />`).join('');
  const flows = Array.from({ length: n - 1 }, (_, i) => flow(`c${i + 1}`, `T${i + 1}`, `T${i + 2}`)).join('');
  return `<bpmn:startEvent id="S" />${tasks}${flow('c0', 'S', 'T1')}${flows}${flow('cn', `T${n}`, last)}${extra}`;
}

const CHAIN = bpmn('chain', `${chain(30)}<bpmn:endEvent id="E" />`);

/** A fork into five branches of three tasks each, joined again. */
const FORK_JOIN = bpmn(
  'fork_join',
  `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" /><bpmn:parallelGateway id="Join" /><bpmn:endEvent id="E" />
  ${flow('f0', 'S', 'Fork')}${flow('fe', 'Join', 'E')}
  ${[1, 2, 3, 4, 5]
    .map(
      (b) =>
        `<bpmn:task id="A${b}" /><bpmn:task id="B${b}" /><bpmn:task id="C${b}" />` +
        flow(`fa${b}`, 'Fork', `A${b}`) +
        flow(`fb${b}`, `A${b}`, `B${b}`) +
        flow(`fc${b}`, `B${b}`, `C${b}`) +
        flow(`fj${b}`, `C${b}`, 'Join'),
    )
    .join('\n')}`,
);

function budgetIncidents(d: CoreDriver) {
  return d.incidents().filter((i) => i.type === 'BUDGET_EXCEEDED');
}

/** Retries the open BUDGET_EXCEEDED incident until none is left; returns how many retries it took. */
function retryUntilDone(d: CoreDriver, max = 1000): number {
  let n = 0;
  for (let inc = budgetIncidents(d)[0]; inc; inc = budgetIncidents(d)[0]) {
    if (++n > max) throw new Error(`still stopped after ${max} retries: ${inc.message}`);
    const code = d.send({ type: 'RetryIncident', incidentId: inc.id });
    if (code) throw new Error(`retry refused: ${code}`);
  }
  return n;
}

/** Element activations and completions, in order. */
function moves(d: CoreDriver): string[] {
  return d.history
    .filter((h) => h.type === 'element-activated' || h.type === 'element-completed')
    .map((h) => `${h.type === 'element-activated' ? '+' : '-'}${h.elementId}`);
}

async function reference(xml: string): Promise<CoreDriver> {
  const d = new CoreDriver(await compile(xml));
  d.budgets = {};
  return d.start();
}

describe('the steps budget', () => {
  it('stops a long run at a consistent point, and retries continue it to the same end, each element once', async () => {
    // given a chain of 30 tasks without wait states, and a budget of 7 steps per command
    const unbudgeted = await reference(CHAIN);
    const d = new CoreDriver(await compile(CHAIN));
    d.budgets = { steps: 7 };
    // when it starts
    d.start();
    // then it stops with an incident naming the budget, and the instance holds the work still to do
    const [first] = budgetIncidents(d);
    expect(first?.message).toContain('7 steps');
    expect(first?.elementId).toBe('chain');
    expect(first?.pending?.length).toBe(1);
    expect(d.state.status).toBe('active');
    expect(d.history.find((h) => h.type === 'incident-created')).toMatchObject({ budget: 'steps', limit: 7 });
    // when the incident is retried until the run is through
    const retries = retryUntilDone(d);
    // then it took several commands, and every element ran exactly as in one unbudgeted run
    expect(retries).toBeGreaterThan(3);
    expect(d.state.status).toBe('completed');
    expect(moves(d)).toEqual(moves(unbudgeted));
    expect(d.completed().filter((e) => e === 'T17')).toHaveLength(1);
  });

  it('keeps parallel branches and their join exact across stops', async () => {
    // given five parallel branches of three tasks joined again, with 4 steps per command
    const unbudgeted = await reference(FORK_JOIN);
    const d = new CoreDriver(await compile(FORK_JOIN));
    d.budgets = { steps: 4 };
    // when it starts and every stop is retried
    d.start();
    expect(budgetIncidents(d)).toHaveLength(1);
    retryUntilDone(d);
    // then the join fired once, the end was reached once, in the same order as without a budget
    expect(d.state.status).toBe('completed');
    expect(d.completed().filter((e) => e === 'Join')).toHaveLength(1);
    expect(moves(d)).toEqual(moves(unbudgeted));
  });

  it('stops an endless loop; the instance stays active with its incident', async () => {
    // given an exclusive gateway and a task looping forever
    const d = new CoreDriver(await compile(endlessLoop()));
    d.budgets = { steps: 500 };
    // when it starts
    d.start();
    // then it is stopped by the steps budget
    expect(budgetIncidents(d).map((i) => i.message)).toEqual([expect.stringContaining('500 steps')]);
    expect(d.state.status).toBe('active');
  });
});

describe('the new element instances budget', () => {
  it('stops a fan-out after the step that went over it, and the retries create every path exactly once', async () => {
    // given a fan-out of 20 x 20 paths and a budget of 15 new element instances per command
    const xml = fanOut('fan', 20, 2);
    const unbudgeted = await reference(xml);
    const d = new CoreDriver(await compile(xml));
    d.budgets = { newElements: 15 };
    // when it starts
    d.start();
    // then the fork's step created its 20 tokens and the run stopped there, naming the budget
    expect(budgetIncidents(d)[0]?.message).toContain('15 new element instances');
    expect(d.active().filter((e) => e === 'T1')).toHaveLength(20);
    expect(budgetIncidents(d)[0]?.pending).toHaveLength(20);
    // when every stop is retried
    retryUntilDone(d);
    // then all 400 paths reached the end once each
    expect(d.state.status).toBe('completed');
    expect(d.completed().filter((e) => e === 'E')).toHaveLength(400);
    expect(moves(d)).toEqual(moves(unbudgeted));
  });
});

describe('the tokens budget', () => {
  const FORK_TASKS = bpmn(
    'fork_tasks',
    `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" /><bpmn:userTask id="U" />
    ${flow('f0', 'S', 'Fork')}${Array.from({ length: 30 }, (_, i) => flow(`u${i}`, 'Fork', 'U')).join('')}`,
  );

  it('stops when the instance holds too many tokens; a retry is refused until the budget allows it', async () => {
    // given a fork into 30 user tasks and a budget of 20 tokens
    const d = new CoreDriver(await compile(FORK_TASKS));
    d.budgets = { tokens: 20 };
    // when it starts
    d.start();
    // then the run stopped after the fork, before any user task was created
    const [inc] = budgetIncidents(d);
    expect(inc?.message).toContain('20 tokens');
    expect(d.userTasks.size).toBe(0);
    // when the incident is retried with the same budget
    const refused = d.send({ type: 'RetryIncident', incidentId: inc!.id });
    // then it is refused and nothing changed
    expect(refused).toBe('BUDGET_EXCEEDED');
    expect(budgetIncidents(d).map((i) => i.id)).toEqual([inc!.id]);
    // when the budget is raised and the incident retried
    d.budgets = { tokens: 100 };
    expect(d.send({ type: 'RetryIncident', incidentId: inc!.id })).toBeUndefined();
    // then the 30 user tasks exist, each once
    expect(d.userTasks.size).toBe(30);
    expect(d.incidents()).toEqual([]);
  });

  it('cancelling a stopped instance ends the work it kept, and nothing of it runs', async () => {
    // given an instance stopped by the tokens budget
    const d = new CoreDriver(await compile(FORK_TASKS));
    d.budgets = { tokens: 20 };
    d.start();
    const [inc] = budgetIncidents(d);
    // when it is cancelled
    expect(d.send({ type: 'CancelInstance', reason: 'runaway' })).toBeUndefined();
    // then its incident is resolved, its tokens terminated, and no user task was ever created
    expect(d.state.status).toBe('cancelled');
    expect(d.effects).toContainEqual({ type: 'ResolveIncident', id: inc!.id });
    expect(d.terminated().filter((e) => e === 'U')).toHaveLength(30);
    expect(d.effects.filter((e) => e.type === 'CreateUserTask')).toEqual([]);
  });

  it('refuses a parallel multi-instance that would not fit before creating anything; fixed variables and a retry run it', async () => {
    // given a parallel multi-instance user task over `=n` iterations and a budget of 20 tokens
    const d = new CoreDriver(
      await compile(
        bpmn(
          'mi',
          `<bpmn:startEvent id="S" /><bpmn:userTask id="U"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>=n</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask><bpmn:endEvent id="E" />
          ${flow('f1', 'S', 'U')}${flow('f2', 'U', 'E')}`,
        ),
      ),
    );
    d.budgets = { tokens: 20 };
    // when it starts with n = 50
    d.start({ n: 50 });
    // then the body has an incident naming the tokens budget and no iteration exists
    const [inc] = budgetIncidents(d);
    expect(inc).toMatchObject({ elementId: 'U', retry: 'activate' });
    expect(inc!.message).toContain('50 parallel iterations');
    expect(d.active()).toEqual(['U']);
    // when n is fixed and the incident retried
    d.send({ type: 'SetVariables', variables: { n: 5 } });
    expect(d.send({ type: 'RetryIncident', incidentId: inc!.id })).toBeUndefined();
    // then five iterations wait
    expect(d.userTasks.size).toBe(5);
  });

  it('refuses a loop cardinality beyond the budget before building its list', async () => {
    // given a sequential multi-instance over a billion iterations
    const d = new CoreDriver(
      await compile(
        bpmn(
          'mi_seq',
          `<bpmn:startEvent id="S" /><bpmn:task id="T"><bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>1000000000</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:task>
          ${flow('f1', 'S', 'T')}`,
        ),
      ),
    );
    // when it starts
    d.start();
    // then it is refused with an incident at once
    expect(budgetIncidents(d).map((i) => i.elementId)).toEqual(['T']);
    expect(budgetIncidents(d)[0]!.message).toContain(`at most the budget of ${DEFAULT_BUDGETS.tokens} tokens`);
  });
});

describe('the call depth budget', () => {
  it('a started instance carries its depth, and a call beyond the budget raises an incident instead of a child', async () => {
    // given a process that calls itself, and a call depth budget of 3
    const m = await compile(selfCall('self'));
    const shallow = new CoreDriver(m);
    shallow.budgets = { callDepth: 3 };
    const deepest = new CoreDriver(m);
    deepest.budgets = { callDepth: 3 };
    // when an instance at depth 2 and one at depth 3 start
    shallow.start({}, 2);
    deepest.start({}, 3);
    // then the first starts its child at depth 3
    expect(shallow.effects.filter((e) => e.type === 'StartChildInstance')).toEqual([
      expect.objectContaining({ processId: 'self', callDepth: 3 }),
    ]);
    // and the second starts none and has an incident on the call activity naming the budget
    expect(deepest.effects.filter((e) => e.type === 'StartChildInstance')).toEqual([]);
    expect(budgetIncidents(deepest)).toEqual([
      expect.objectContaining({
        elementId: 'Call',
        retry: 'activate',
        message: expect.stringContaining('at most 3 deep'),
      }),
    ]);
  });

  it('holds when the self-call comes after a timer', async () => {
    // given a process that waits on a timer and then calls itself, started at the deepest level
    const d = new CoreDriver(await compile(selfCallAfterTimer('self_t', 'PT1S')));
    d.budgets = { callDepth: 3 };
    d.start({}, 3);
    expect(d.incidents()).toEqual([]);
    // when the timer fires
    d.advance(1000);
    // then the call is refused by the budget
    expect(budgetIncidents(d).map((i) => i.elementId)).toEqual(['Call']);
    expect(d.effects.filter((e) => e.type === 'StartChildInstance')).toEqual([]);
  });
});

describe('the CPU time budget', () => {
  it('stops a run when the meter says the time is up; each retry gets a fresh meter and goes on', async () => {
    // given a meter that advances 1 ms per reading and a budget of 10 ms
    const unbudgeted = await reference(CHAIN);
    const d = new CoreDriver(await compile(CHAIN));
    d.budgets = { cpuMs: 10 };
    d.meter = () => {
      let t = 0;
      return () => t++;
    };
    // when it starts
    d.start();
    // then the run stopped after about ten steps, naming the budget
    expect(budgetIncidents(d)[0]?.message).toContain('10 ms of CPU time');
    expect(d.completed().length).toBeLessThan(12);
    // and retries bring it to the end, every element once
    retryUntilDone(d);
    expect(d.state.status).toBe('completed');
    expect(moves(d)).toEqual(moves(unbudgeted));
  });
});

describe('a stopped instance', () => {
  it('can have its variables fixed before the retry, and the rest of the run sees them', async () => {
    // given a chain ending in a gateway that routes on `route`, stopped before it
    const xml = bpmn(
      'route',
      `${chain(10, '', 'G')}<bpmn:exclusiveGateway id="G" default="toB" /><bpmn:endEvent id="A" /><bpmn:endEvent id="B" />
      ${flow('toA', 'G', 'A', '=route = "a"')}${flow('toB', 'G', 'B')}`,
    );
    const d = new CoreDriver(await compile(xml));
    d.budgets = { steps: 3 };
    d.start({ route: 'b' });
    expect(budgetIncidents(d)).toHaveLength(1);
    // when the variable is changed and every stop retried
    d.send({ type: 'SetVariables', variables: { route: 'a' } });
    retryUntilDone(d);
    // then the gateway took the fixed route
    expect(d.completed()).toContain('A');
    expect(d.completed()).not.toContain('B');
  });

  it('takes other commands while it waits for the retry, and does not complete before the kept work ran', async () => {
    // given a fork into a long chain and a job, stopped by the steps budget in the chain
    const xml = bpmn(
      'side',
      `<bpmn:startEvent id="S0" /><bpmn:parallelGateway id="Fork" />${job('J', 'side')}<bpmn:endEvent id="E" /><bpmn:endEvent id="EJ" />
      ${chain(12)
        .replace('<bpmn:startEvent id="S" />', '')
        .replace(flow('c0', 'S', 'T1'), '')}
      ${flow('s0', 'S0', 'Fork')}${flow('s1', 'Fork', 'T1')}${flow('s2', 'Fork', 'J')}${flow('s3', 'J', 'EJ')}`,
    );
    const d = new CoreDriver(await compile(xml));
    d.budgets = { steps: 5 };
    d.start();
    expect(budgetIncidents(d)).toHaveLength(1);
    // when the job completes meanwhile
    d.completeJob('side');
    // then its branch ends, the kept work did not run, and the instance is still active
    expect(d.completed()).toContain('EJ');
    expect(d.completed()).not.toContain('E');
    expect(d.state.status).toBe('active');
    // when the stops are retried, the chain finishes and the instance completes, each task once
    retryUntilDone(d);
    expect(d.state.status).toBe('completed');
    expect(d.completed().filter((e) => e.startsWith('T'))).toEqual(Array.from({ length: 12 }, (_, i) => `T${i + 1}`));
  });
});

describe('the attacks of issue 9, under the default budgets', () => {
  it.each([
    ['a fan-out of 100 x 100 x 100 paths', () => fanOut()],
    ['nested parallel multi-instances of 100 x 100 x 100', () => nestedMultiInstance()],
    ['an inclusive gateway looping to itself', () => inclusiveLoop()],
  ])('%s stops with BUDGET_EXCEEDED, holding no more tokens than the budget allows', async (_name, model) => {
    // given the attack model and the default budgets
    const d = new CoreDriver(await compile(model()));
    d.budgets = {};
    // when it starts
    d.start();
    // then it stopped with the incident, within the tokens budget plus one step's fan-out
    expect(budgetIncidents(d)).toHaveLength(1);
    expect(d.state.status).toBe('active');
    expect(Object.keys(d.state.elements).length).toBeLessThanOrEqual(DEFAULT_BUDGETS.tokens + 101);
  });
});
