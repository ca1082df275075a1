/**
 * Deployed decisions and forms reach the pure core through its context (core/links.ts): a business
 * rule task evaluates the decision it is handed, in its scope, and records the audit; one the runtime
 * did not load stops the command with LINKS_NEEDED and leaves the state it was given untouched; one
 * that is not deployed is an incident. A user task keeps the form version it was handed.
 */
import { describe, expect, it } from 'vitest';
import { execute, startInstance, type Outcome } from '../../engine/src/core/execute.js';
import type { DecisionLink, FormLink, LinkedResources, LinkRef } from '../../engine/src/core/links.js';
import type { CoreContext } from '../../engine/src/core/run.js';
import type { InstanceState } from '../../engine/src/core/state.js';
import { compileGraph, dmn, table } from '../decisions/dmn-helpers.js';
import { bpmn, compile, flow } from './harness.js';

const RULE = (extra = '') =>
  `<bpmn:businessRuleTask id="Rule"><bpmn:extensionElements><zeebe:calledDecision decisionId="grading" resultVariable="verdict" />${extra}</bpmn:extensionElements></bpmn:businessRuleTask>`;

async function grading(): Promise<DecisionLink> {
  const graph = await compileGraph(
    dmn(table({ id: 'grading', inputs: ['grade'], outputs: ['result', 'rate'], rules: [[['"A"'], ['"top"', '1']]] })),
  );
  return {
    key: 'grading@1',
    decisionId: 'grading',
    version: 4,
    name: 'Grading',
    decisionRequirementsId: 'Definitions_test',
    decisionRequirementsKey: 'Definitions_test@1',
    graph,
  };
}

/** Links answering `decision` / `form` for every reference, and the references asked for. */
function links(
  decision: DecisionLink | null | undefined,
  form?: FormLink | null,
): LinkedResources & { asked: LinkRef[] } {
  const asked: LinkRef[] = [];
  return {
    asked,
    decision: (ref) => (asked.push(ref), decision),
    form: (ref) => (asked.push(ref), form),
  };
}

const ctx = (l?: LinkedResources): CoreContext => ({ now: 1000, newInstanceId: () => '9', ...(l ? { links: l } : {}) });
const init = (variables: Record<string, unknown>) => ({
  id: '1',
  processId: 'p',
  version: 1,
  definitionKey: 'p:1',
  businessKey: null,
  variables,
});
const ok = (out: Outcome) => {
  if (!out.ok) throw new Error(out.message);
  return out;
};

describe('business rule tasks in the pure core', () => {
  it('evaluates the decision it is handed in the task scope; output mappings choose what leaves', async () => {
    // given a task mapping only the rate out of the decision's result
    const output = '<zeebe:ioMapping><zeebe:output source="=verdict.rate" target="rate" /></zeebe:ioMapping>';
    const model = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${RULE(output)}<bpmn:endEvent id="E" />${flow('f1', 'S', 'Rule')}${flow('f2', 'Rule', 'E')}`,
      ),
    );
    const l = links(await grading());
    // when an instance starts
    const out = ok(startInstance(model, init({ grade: 'A' }), ctx(l)));
    // then the decision was asked for as the task binds it, and its result went through the mapping
    expect(l.asked).toEqual([{ kind: 'decision', id: 'grading', bindingType: 'latest' }]);
    expect(out.state.status).toBe('completed');
    expect(out.state.vars['1']).toEqual({ grade: 'A', rate: 1 });
    const entry = out.history.find((h) => h.type === 'decision-evaluated')!;
    expect(entry).toMatchObject({ elementId: 'Rule', decisionId: 'grading', version: 4, resultVariable: 'verdict' });
    expect(entry['result']).toEqual({ result: 'top', rate: 1 });
    expect(entry['evaluations']).toEqual([
      expect.objectContaining({ decisionId: 'grading', matchedRules: [expect.objectContaining({ ruleIndex: 1 })] }),
    ]);
  });

  it('stops with LINKS_NEEDED for a decision not loaded, leaving the state it was given as it was', async () => {
    // given an instance waiting at a user task before the business rule task
    const model = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" /><bpmn:userTask id="U" />${RULE()}<bpmn:endEvent id="E" />${flow('f1', 'S', 'U')}${flow('f2', 'U', 'Rule')}${flow('f3', 'Rule', 'E')}`,
      ),
    );
    const waiting: InstanceState = ok(startInstance(model, init({ grade: 'A' }), ctx(links(undefined)))).state;
    const before = JSON.stringify(waiting);
    const taskId = Object.values(waiting.elements).find((e) => e.userTask)!.userTask!;
    // when the task completes with the decision not loaded
    const out = execute(waiting, model, { type: 'CompleteUserTask', taskId }, ctx(links(undefined)));
    // then the command asks for it and changed nothing
    expect(out).toMatchObject({ ok: false, code: 'LINKS_NEEDED', needs: [{ kind: 'decision', id: 'grading' }] });
    expect(JSON.stringify(waiting)).toBe(before);
    // and with it loaded the same command completes the instance
    const done = ok(execute(waiting, model, { type: 'CompleteUserTask', taskId }, ctx(links(await grading()))));
    expect(done.state.status).toBe('completed');
  });

  it('raises CALLED_DECISION_NOT_FOUND when no decision is deployed for the binding', async () => {
    const model = await compile(bpmn('p', `<bpmn:startEvent id="S" />${RULE()}${flow('f1', 'S', 'Rule')}`));
    const out = ok(startInstance(model, init({}), ctx(links(null))));
    expect(Object.values(out.state.incidents)).toEqual([
      expect.objectContaining({ elementId: 'Rule', type: 'CALLED_DECISION_NOT_FOUND', retry: 'activate' }),
    ]);
  });
});

describe('linked forms in the pure core', () => {
  const TASK =
    '<bpmn:userTask id="U"><bpmn:extensionElements><zeebe:formDefinition formId="f" bindingType="versionTag" versionTag="v2" /></bpmn:extensionElements></bpmn:userTask>';

  it('keeps the form version it is handed on the task, and raises FORM_NOT_FOUND without one', async () => {
    const model = await compile(bpmn('p', `<bpmn:startEvent id="S" />${TASK}${flow('f1', 'S', 'U')}`));
    const l = links(undefined, { key: 'f@3', formId: 'f', version: 2 });
    const out = ok(startInstance(model, init({}), ctx(l)));
    expect(l.asked).toEqual([{ kind: 'form', id: 'f', bindingType: 'versionTag', versionTag: 'v2' }]);
    expect(Object.values(out.state.elements).find((e) => e.elementId === 'U')).toMatchObject({ form: 'f@3' });
    const missing = ok(startInstance(model, init({}), ctx(links(undefined, null))));
    expect(Object.values(missing.state.incidents)).toEqual([
      expect.objectContaining({ elementId: 'U', type: 'FORM_NOT_FOUND' }),
    ]);
    expect(missing.effects.some((e) => e.type === 'CreateUserTask')).toBe(false);
  });
});
