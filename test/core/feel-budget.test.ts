/**
 * A FEEL evaluation that runs out of its budget becomes a BUDGET_EXCEEDED incident (issue 9, hole 3).
 * Any evaluator signals a spent budget by throwing a BudgetExceededError (the FEEL layer's own work
 * budget throws one too; test/core/feel-context.test.ts runs that one for real). Here feelin's
 * `evaluate` is replaced by one that throws it for `for` loops, with a budget name and limit of its
 * own, to prove that the trip it names reaches the incident and the history unchanged, wherever the
 * expression is evaluated (the only stand-in in this file; the FEEL layer and the core run unchanged).
 */
import { describe, expect, it, vi } from 'vitest';
import { BudgetExceededError } from '../../engine/src/core/budgets.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

vi.mock('feelin', async (importOriginal) => {
  const real = await importOriginal<typeof import('feelin')>();
  return {
    ...real,
    evaluate: (src: string, ...rest: Parameters<typeof real.evaluate> extends [string, ...infer R] ? R : never) => {
      if (/\bfor\b/.test(src)) throw new BudgetExceededError('feelSteps', 1000, 'over 1000 evaluation steps');
      return real.evaluate(src, ...rest);
    },
  };
});

describe('a FEEL evaluation over its budget', () => {
  it('raises BUDGET_EXCEEDED on the element, with the retry of the failed evaluation', async () => {
    // given a script task whose expression loops three million times
    const d = new CoreDriver(
      await compile(
        bpmn(
          'feel_loop',
          `<bpmn:startEvent id="S" /><bpmn:scriptTask id="Script"><bpmn:extensionElements><zeebe:script expression="=count(for i in 1..3000000 return i)" resultVariable="n" /></bpmn:extensionElements></bpmn:scriptTask><bpmn:endEvent id="E" />
          ${flow('f1', 'S', 'Script')}${flow('f2', 'Script', 'E')}`,
        ),
      ),
    );
    // when it starts
    d.start();
    // then the script task has a BUDGET_EXCEEDED incident naming the evaluation budget
    expect(d.incidents()).toEqual([
      expect.objectContaining({ type: 'BUDGET_EXCEEDED', elementId: 'Script', retry: 'activate' }),
    ]);
    expect(d.incidents()[0]!.message).toContain('over 1000 evaluation steps');
    expect(d.history.find((h) => h.type === 'incident-created')).toMatchObject({ budget: 'feelSteps', limit: 1000 });
  });

  it('does so for input mappings and flow conditions too', async () => {
    // given a job whose input mapping loops, and a gateway whose condition loops
    const d = new CoreDriver(
      await compile(
        bpmn(
          'feel_places',
          `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />
          ${job('T', 't', '<zeebe:ioMapping><zeebe:input source="=for i in 1..10 return i" target="xs" /></zeebe:ioMapping>')}
          <bpmn:exclusiveGateway id="G" /><bpmn:endEvent id="E" />
          ${flow('f0', 'S', 'Fork')}${flow('f1', 'Fork', 'T')}${flow('f2', 'Fork', 'G')}${flow('f3', 'G', 'E', '=some x in (for i in 1..9 return i) satisfies x > 5')}`,
        ),
      ),
    );
    // when it starts
    d.start();
    // then both places raise BUDGET_EXCEEDED (not EXPRESSION_FAILED / CONDITION_FAILED)
    expect(d.incidents().map((i) => [i.elementId, i.type, i.retry])).toEqual([
      ['T', 'BUDGET_EXCEEDED', 'activate'],
      ['G', 'BUDGET_EXCEEDED', 'leave'],
    ]);
  });
});
