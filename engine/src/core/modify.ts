/**
 * Process instance modification, as Camunda 8 models it: activate elements (with variables, in the
 * flow scope chosen when it is ambiguous, creating the flow scopes that are not active), terminate
 * element instances, or move tokens (both in one command). Everything is checked first
 * (./modify-plan.ts); then activations apply before terminations, so that "move the token from A to
 * B" never empties the scope in between. A flow scope whose last token a termination removed is
 * terminated too, up to the process instance itself, which then ends as cancelled.
 */
import { activate, terminate } from './lifecycle.js';
import { dropJoins, hasJoinTokens, retryInclusiveJoins } from './joins.js';
import {
  planModification,
  type Modification,
  type ModificationPlan,
  type ModificationProblem,
  type PlannedActivation,
  type VariableInstruction,
} from './modify-plan.js';
import { targetDepthProblem } from './plain-data.js';
import type { Run } from './run.js';
import type { ElementInstance } from './state.js';
import { ROOT_KEY } from './state.js';
import { openWait, startOf } from './waits.js';

export type {
  ActivateInstruction,
  Modification,
  ModificationProblem,
  MoveInstruction,
  TerminateInstruction,
  VariableInstruction,
} from './modify-plan.js';

/** Why a modification was refused: 400 when the request cannot fit this model, else 409 (the instance's state). */
export interface ModificationRefusal {
  readonly status: 400 | 409;
  readonly code: 'INVALID_MODIFICATION';
  readonly message: string;
  readonly details: readonly ModificationProblem[];
}

/** Who asked and why, kept in the history entry of the modification. */
export interface ModificationAudit {
  readonly reason?: string;
  readonly actor?: string;
  readonly batchId?: string;
}

/** Applies `m` to the run's instance, or refuses it with every problem found (the state is then unusable). */
export function modifyInstance(run: Run, m: Modification, audit: ModificationAudit): ModificationRefusal | undefined {
  const problems: ModificationProblem[] = [];
  if (!(m.activate?.length || m.terminate?.length || m.move?.length))
    problems.push({
      instruction: '(none)',
      invalid: true,
      message: 'Expected at least one activate, terminate or move instruction, but there is none',
    });
  const plan = planModification(run, m, problems);
  if (problems.length) return refusal(problems);
  run.record('instance-modified', undefined, {
    elementId: run.model.id,
    elementType: 'bpmn:Process',
    activated: plan.activations.map((a) => a.elementId),
    terminated: plan.terminations.map((k) => run.ei(k)!.elementId),
    ...audit,
  });
  for (const a of plan.activations) {
    const failed = applyActivation(run, a);
    if (failed) return refusal([failed]);
  }
  return applyTerminations(run, plan);
}

function refusal(problems: ModificationProblem[]): ModificationRefusal {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return {
    status: problems.every((p) => p.invalid) ? 400 : 409,
    code: 'INVALID_MODIFICATION',
    message: `The modification cannot be applied: ${problems[0]!.message}${more}`,
    details: problems,
  };
}

/** Creates the missing flow scopes, then the element itself (its activation runs when the command drains). */
function applyActivation(run: Run, a: PlannedActivation): ModificationProblem | undefined {
  const vars = (scopeId: string | undefined) => merged(a.variables.filter((v) => (v.scopeId || undefined) === scopeId));
  for (const v of a.variables.filter((x) => !x.scopeId || x.scopeId === run.model.id))
    for (const [k, value] of Object.entries(v.variables)) run.setLocal(ROOT_KEY, k, value);
  // variables for a flow scope that is already active go into that instance
  for (let k: string | null = a.ancestorKey; k !== null && k !== ROOT_KEY; k = run.ei(k)?.parent ?? null) {
    const ei = run.ei(k)!;
    for (const [name, value] of Object.entries(vars(ei.elementId))) run.setLocal(ei.key, name, value);
  }
  let parent = a.ancestorKey;
  for (const scopeId of a.create) {
    const created = createScope(run, scopeId, parent, vars(scopeId), a.instruction);
    if ('message' in created) return created;
    parent = created.key;
  }
  activate(run, a.elementId, parent, { vars: vars(a.elementId) });
  return undefined;
}

function merged(list: readonly VariableInstruction[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of list) Object.assign(out, v.variables);
  return out;
}

/**
 * Creates a sub-process instance around a new token without starting it: its variables, input
 * mappings, boundary events and event sub-processes, but not its start event.
 */
function createScope(
  run: Run,
  scopeId: string,
  parent: string,
  vars: Record<string, unknown>,
  instruction: string,
): ElementInstance | ModificationProblem {
  const el = run.def(scopeId);
  const ei: ElementInstance = { key: run.localKey(), elementId: scopeId, parent, phase: 'active' };
  run.addElement(ei);
  if (Object.keys(vars).length) run.state.vars[ei.key] = { ...vars };
  run.record('element-activated', ei);
  const fail = (message: string): ModificationProblem => ({ instruction, elementId: scopeId, message });
  for (const m of el.inputs ?? []) {
    const r = run.evalIn(ei.key, m.source);
    const tooDeep = r.ok ? targetDepthProblem(m.target, r.value) : undefined;
    if (!r.ok || tooDeep)
      return fail(`Expected the input mappings of ${scopeId} to evaluate, but ${r.ok ? tooDeep : r.message}`);
    run.assign(ei.key, m.target, r.value, 'local');
  }
  const events = [
    ...(el.boundaries ?? []).map((b) => run.def(b)),
    ...(el.triggeredByEvent ? [] : (el.eventSubprocesses ?? []).map((id) => startOf(run, id))),
  ];
  for (const target of events) {
    if (!target) continue;
    const r = openWait(run, ei, target);
    if (!r.ok) return fail(`Expected the event ${target.id} of ${scopeId} to be armed, but ${r.message}`);
  }
  return ei;
}

/** Terminates the planned element instances and every flow scope they leave empty. */
function applyTerminations(run: Run, plan: ModificationPlan): ModificationRefusal | undefined {
  for (const jk of plan.joins) {
    const gatewayId = jk.slice(jk.indexOf('/') + 1);
    dropJoins(run, (k) => k === jk);
    run.record('element-terminated', undefined, { elementId: gatewayId, elementType: run.def(gatewayId).type });
  }
  const scopes = new Set(plan.joins.map((jk) => jk.slice(0, jk.indexOf('/'))));
  for (const key of plan.terminations) {
    const ei = run.ei(key);
    if (!ei) continue;
    terminate(run, ei);
    if (ei.parent) scopes.add(endIteration(run, ei));
  }
  for (const key of scopes) {
    const refused = endEmptyScopes(run, key);
    if (refused) return refused;
  }
  return undefined;
}

/** A terminated iteration no longer counts as active in its multi-instance body; returns its parent's key. */
function endIteration(run: Run, ei: ElementInstance): string {
  const body = run.ei(ei.parent!);
  if (ei.iteration !== undefined && body?.mi) body.mi.active = Math.max(0, body.mi.active - 1);
  return ei.parent!;
}

/** Walks out from `key`: each flow scope left without tokens is terminated; the process ends cancelled. */
function endEmptyScopes(run: Run, key: string): ModificationRefusal | undefined {
  for (let k: string | null = key; k !== null;) {
    const scope = run.ei(k);
    if (!scope) return undefined;
    if (run.hasChildren(k) || hasJoinTokens(run, k)) {
      retryInclusiveJoins(run, k);
      return undefined;
    }
    if (k === ROOT_KEY) return endInstance(run, scope);
    const parent = scope.parent;
    terminate(run, scope);
    if (parent) endIteration(run, scope);
    k = parent;
  }
  return undefined;
}

/** The last token is gone: the instance ends as cancelled (a called instance may not end this way). */
function endInstance(run: Run, root: ElementInstance): ModificationRefusal | undefined {
  const parent = run.state.parent;
  if (parent)
    return refusal([
      {
        instruction: 'terminate',
        message: `Expected the modification to leave a token in instance ${run.state.id}, but it would end it, and instance ${parent.instanceId} called it: cancel that one, or activate an element here`,
      },
    ]);
  terminate(run, root);
  run.state.status = 'cancelled';
  run.state.endedAt = run.ctx.now;
  run.record('process-cancelled', undefined, {
    elementId: run.model.id,
    elementType: 'bpmn:Process',
    byModification: true,
  });
  return undefined;
}
