/**
 * The element lifecycle shared by every behavior: activate -> (behavior work) -> complete -> leave,
 * or terminate. Tokens move only through these functions.
 */
import type { FlowDef, Mapping } from '../model/types.js';
import { behaviorOf, isBody } from './elements/registry.js';
import { selectFlows } from './flows.js';
import { registerCompensation, onHandlerDone } from './compensation.js';
import { onIterationDone, collectIterationOutput } from './elements/multi-instance.js';
import type { Evaluation } from './feel.js';
import { targetDepthProblem } from './plain-data.js';
import { armBoundaries, disarm } from './waits.js';
import { dropJoins, tryJoin, isJoining, hasJoinTokens, retryInclusiveJoins } from './joins.js';
import { hasListeners, runListener, type ListenerPhase } from './listeners.js';
import type { Run } from './run.js';
import type { ElementInstance } from './state.js';
import { ROOT_KEY } from './state.js';

type Vars = Record<string, unknown>;

export interface ActivateOptions {
  readonly vars?: Vars;
  readonly iteration?: number;
  readonly pretriggered?: Vars;
  readonly compensates?: { readonly thrower: string; readonly elementId: string };
  readonly interrupting?: boolean;
}

/** Creates the element instance at once (so the scope is never seen empty) and queues its work. */
export function activate(run: Run, elementId: string, parentKey: string, opts: ActivateOptions = {}): ElementInstance {
  const ei: ElementInstance = {
    key: run.localKey(),
    elementId,
    parent: parentKey,
    phase: 'active',
    activatedAt: run.ctx.now,
  };
  if (opts.iteration !== undefined) ei.iteration = opts.iteration;
  if (opts.pretriggered) ei.pretriggered = opts.pretriggered;
  if (opts.compensates) ei.compensates = opts.compensates;
  if (opts.interrupting) ei.interrupting = true;
  run.addElement(ei);
  if (opts.vars && Object.keys(opts.vars).length) run.state.vars[ei.key] = { ...opts.vars };
  run.record('element-activated', ei);
  run.enqueue(ei.key);
  return ei;
}

/** Input mappings, boundary events, then the behavior. Also what an activation incident retries. */
export function runActivation(run: Run, ei: ElementInstance): void {
  if (run.ei(ei.key) !== ei) return;
  const el = run.def(ei.elementId);
  const body = isBody(el, ei);
  if (!body) {
    for (const m of el.inputs ?? []) {
      const r = mapped(run, ei.key, m);
      if (!r.ok) {
        run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
        return;
      }
      run.assign(ei.key, m.target, r.value, 'local');
    }
  }
  if (hasListeners(el, ei, 'start')) {
    runListener(run, ei, el, 'start');
    return;
  }
  continueActivation(run, ei);
}

/** After the input mappings and start listeners: boundary events, then the behavior. */
export function continueActivation(run: Run, ei: ElementInstance): void {
  if (run.ei(ei.key) !== ei) return;
  const el = run.def(ei.elementId);
  if (ei.iteration === undefined && !armBoundaries(run, ei, el)) return;
  behaviorOf(el, ei).activate(run, ei, el);
}

/** The last listener of `phase` on `ei` completed: go on with the activation, or leave. */
export function afterListeners(run: Run, ei: ElementInstance, phase: ListenerPhase): void {
  if (phase === 'start') continueActivation(run, ei);
  else if (ei.key === ROOT_KEY) finishRoot(run);
  else leave(run, ei);
}

/** A mapping's value: its source evaluated in the scope of `key`, refused when the target would nest too deep. */
function mapped(run: Run, key: string, m: Mapping): Evaluation {
  const r = run.evalIn(key, m.source);
  if (!r.ok) return r;
  const tooDeep = targetDepthProblem(m.target, r.value);
  return tooDeep === undefined ? r : { ok: false, message: tooDeep };
}

/**
 * The behavior's work is done: apply result variables (local when output mappings exist, else
 * propagated), evaluate output mappings into the enclosing scope, then leave.
 */
export function complete(run: Run, ei: ElementInstance, result?: Vars): void {
  if (run.ei(ei.key) !== ei || ei.listener?.phase === 'end') return;
  const el = run.def(ei.elementId);
  const body = isBody(el, ei);
  if (result && !body) {
    if (el.outputs) for (const [k, v] of Object.entries(result)) run.setLocal(ei.key, k, v);
    else run.mergePropagating(ei.key, result);
  }
  if (el.outputs && !body && ei.parent !== null) {
    const values: [string, unknown][] = [];
    for (const m of el.outputs) {
      const r = mapped(run, ei.key, m);
      if (!r.ok) {
        run.incident(ei, 'EXPRESSION_FAILED', r, 'complete');
        return;
      }
      values.push([m.target, r.value]);
    }
    for (const [k, v] of values) run.assign(ei.parent, k, v, 'propagate');
  }
  if (hasListeners(el, ei, 'end')) {
    disarm(run, ei);
    runListener(run, ei, el, 'end');
    return;
  }
  leave(run, ei);
}

export interface LeaveOptions {
  /** Flows to take instead of evaluating the outgoing ones (event-based gateway). */
  readonly flows?: readonly FlowDef[];
  readonly pretriggered?: Vars;
  /** Runs after the element is gone and before the scope is checked (link events). */
  readonly then?: (parentKey: string) => void;
}

/** Records the completion, removes the token and sends it along the selected outgoing flows. */
export function leave(run: Run, ei: ElementInstance, opts: LeaveOptions = {}): void {
  if (run.ei(ei.key) !== ei) return;
  const el = run.def(ei.elementId);
  let flows = opts.flows;
  if (!flows) {
    const sel = selectFlows(run, ei, el);
    if (!sel.ok) {
      ei.phase = 'leaving';
      run.incident(ei, 'CONDITION_FAILED', sel, 'leave');
      return;
    }
    flows = sel.flows;
  }
  const output = ei.iteration !== undefined ? collectIterationOutput(run, ei) : undefined;
  if (output) {
    ei.phase = 'leaving';
    run.incident(ei, 'EXPRESSION_FAILED', output, 'leave');
    return;
  }
  disarm(run, ei);
  run.record('element-completed', ei, since(ei));
  registerCompensation(run, ei, el);
  remove(run, ei);
  const parentKey = ei.parent;
  if (parentKey === null) return;
  if (ei.iteration !== undefined) {
    onIterationDone(run, parentKey, ei);
    return;
  }
  if (ei.compensates) {
    onHandlerDone(run, ei);
    return;
  }
  for (const f of flows) arrive(run, f, parentKey, opts.pretriggered);
  opts.then?.(parentKey);
  checkScope(run, parentKey);
}

/** A token travels along a flow into its target: a joining gateway counts it, anything else activates. */
export function arrive(run: Run, flow: FlowDef, scopeKey: string, pretriggered?: Vars): void {
  run.history.push({ type: 'sequence-flow-taken', elementId: flow.id });
  const target = run.def(flow.target);
  if (isJoining(target)) {
    const jk = `${scopeKey}/${target.id}`;
    const counts = (run.state.joins[jk] ??= {});
    counts[flow.id] = (counts[flow.id] ?? 0) + 1;
    tryJoin(run, scopeKey, target);
    return;
  }
  activate(run, target.id, scopeKey, pretriggered ? { pretriggered } : {});
}

/** After a token left a scope: retry inclusive joins, and complete the scope when nothing is left in it. */
export function checkScope(run: Run, scopeKey: string): void {
  const scope = run.ei(scopeKey);
  if (!scope || scope.phase !== 'active') return;
  retryInclusiveJoins(run, scopeKey);
  if (run.hasChildren(scopeKey) || hasJoinTokens(run, scopeKey)) return;
  const el = run.def(scope.elementId);
  const behavior = behaviorOf(el, scope);
  if (behavior.onScopeEmpty) behavior.onScopeEmpty(run, scope, el);
  else complete(run, scope);
}

/** Ends the instance normally. */
export function completeRoot(run: Run): void {
  const root = run.ei(ROOT_KEY);
  if (!root || root.listener?.phase === 'end') return;
  disarm(run, root);
  if (hasListeners(run.model.root, root, 'end')) {
    runListener(run, root, run.model.root, 'end');
    return;
  }
  finishRoot(run);
}

/** Ends the instance once its end listeners ran. */
function finishRoot(run: Run): void {
  const root = run.ei(ROOT_KEY);
  if (!root) return;
  run.removeElement(ROOT_KEY);
  run.state.status = 'completed';
  run.state.endedAt = run.ctx.now;
  run.record('process-completed', undefined, { elementId: run.model.id, elementType: 'bpmn:Process' });
  const parent = run.state.parent;
  if (parent) {
    run.effect({
      type: 'NotifyParent',
      parentId: parent.instanceId,
      elementKey: parent.elementKey,
      outcome: 'completed',
      variables: { ...run.state.vars[ROOT_KEY] },
    });
  }
}

/**
 * Ends an element instance and everything inside it without completing it. The children of every
 * scope are looked up once per call, so that ending an instance with many tokens takes linear time.
 */
export function terminate(run: Run, ei: ElementInstance, index = childIndex(run)): void {
  if (run.ei(ei.key) !== ei) return;
  for (const c of index.get(ei.key) ?? []) terminate(run, c, index);
  disarm(run, ei);
  if (ei.child) run.effect({ type: 'CancelChildInstance', childId: ei.child });
  run.resolveIncidentsOf(ei.key);
  if (ei.key !== ROOT_KEY && !ei.adHocInner) run.record('element-terminated', ei, since(ei));
  remove(run, ei);
}

/** Terminates every token inside a scope (the scope itself stays). */
export function terminateChildren(run: Run, scopeKey: string, except?: string): void {
  const index = childIndex(run);
  for (const c of index.get(scopeKey) ?? []) if (c.key !== except) terminate(run, c, index);
  dropJoins(run, (jk) => jk.startsWith(`${scopeKey}/`));
}

/** The element instances of the state by the key of their scope. */
function childIndex(run: Run): Map<string, ElementInstance[]> {
  const index = new Map<string, ElementInstance[]>();
  for (const ei of Object.values(run.state.elements)) {
    if (ei.parent === null) continue;
    const list = index.get(ei.parent);
    if (list) list.push(ei);
    else index.set(ei.parent, [ei]);
  }
  return index;
}

/** Drops an element instance with its variables, compensation records and join tokens (no history). */
export function remove(run: Run, ei: ElementInstance): void {
  run.removeElement(ei.key);
  if (ei.key !== ROOT_KEY) delete run.state.vars[ei.key];
  delete run.state.compensation[ei.key];
  dropJoins(run, (jk) => jk.startsWith(`${ei.key}/`));
}

/** When an ending element instance was activated (for its duration), if it knows. */
function since(ei: ElementInstance): { activatedAt?: number } {
  return ei.activatedAt === undefined ? {} : { activatedAt: ei.activatedAt };
}
