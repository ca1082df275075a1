/**
 * Planning a process instance modification (see ./modify.ts): every instruction is checked against
 * the model and the instance before anything changes, the flow scope each new element goes into is
 * found (or is to be created), and "move" instructions become an activation and a termination per
 * active instance of their source. A plan with problems is refused as a whole.
 */
import type { ElementDef } from '../model/types.js';
import { holdsTokens } from './joins.js';
import { depthMessage, variablesDepthProblem } from './plain-data.js';
import type { Run } from './run.js';
import type { ElementInstance } from './state.js';
import { ROOT_KEY } from './state.js';

type Vars = Record<string, unknown>;

/** Variables to create in one scope: the activated element, one of its flow scopes, or (no `scopeId`) the process. */
export interface VariableInstruction {
  readonly scopeId?: string;
  readonly variables: Vars;
}

/** Activates `elementId`; `ancestorKey` chooses the element instance it goes into when that is ambiguous. */
export interface ActivateInstruction {
  readonly elementId: string;
  readonly ancestorKey?: string;
  readonly variableInstructions?: readonly VariableInstruction[];
}

/** Terminates one element instance, or every active instance of an element. */
export type TerminateInstruction = { readonly elementKey: string } | { readonly elementId: string };

/** Terminates every active instance of `sourceElementId` and activates `targetElementId` in its place, one for one. */
export interface MoveInstruction {
  readonly sourceElementId: string;
  readonly targetElementId: string;
  readonly variableInstructions?: readonly VariableInstruction[];
}

/** What a modification asks: activations, terminations and moves, applied together or not at all. */
export interface Modification {
  readonly activate?: readonly ActivateInstruction[];
  readonly terminate?: readonly TerminateInstruction[];
  readonly move?: readonly MoveInstruction[];
}

/** One reason a modification cannot apply, naming its instruction (`activate[0]`, `terminate[1]`, `move[0]`). */
export interface ModificationProblem {
  readonly instruction: string;
  readonly message: string;
  readonly elementId?: string;
  readonly elementKey?: string;
  /** When the flow scope is ambiguous: the keys of the element instances to choose from as `ancestorKey`. */
  readonly candidates?: readonly string[];
  /** True when the request itself is wrong for this model (an unknown id, an element that cannot be activated). */
  readonly invalid?: boolean;
}

/** An activation the plan resolved: the existing instance it goes into, and the flow scopes to create below it. */
export interface PlannedActivation {
  readonly elementId: string;
  readonly ancestorKey: string;
  readonly create: readonly string[];
  readonly variables: readonly VariableInstruction[];
  readonly instruction: string;
}

export interface ModificationPlan {
  readonly activations: PlannedActivation[];
  /** Keys of element instances to terminate (outermost first, never one inside another of the list). */
  readonly terminations: string[];
  /** Joining gateways (`scopeKey/gatewayId`) whose waiting tokens are dropped. */
  readonly joins: string[];
}

/** Resolves `m` against the instance; problems are added to `problems` and the plan is then unusable. */
export function planModification(run: Run, m: Modification, problems: ModificationProblem[]): ModificationPlan {
  const plan: ModificationPlan = { activations: [], terminations: [], joins: [] };
  (m.activate ?? []).forEach((a, i) => {
    const at = `activate[${i}]`;
    const found = resolveScope(run, a.elementId, a.ancestorKey, at, problems);
    if (found) addActivation(run, plan, a.elementId, found, a.variableInstructions ?? [], at, problems);
  });
  (m.terminate ?? []).forEach((t, i) => planTermination(run, plan, t, `terminate[${i}]`, problems));
  (m.move ?? []).forEach((mv, i) => planMove(run, plan, mv, `move[${i}]`, problems));
  const ended = new Set(plan.terminations);
  for (const a of plan.activations) {
    const inside = chainOf(run, a.ancestorKey).find((k) => ended.has(k));
    if (inside)
      problems.push({
        instruction: a.instruction,
        elementId: a.elementId,
        elementKey: inside,
        message: `Expected ${a.elementId} to be activated in an element instance that stays, but element instance ${inside} around it is terminated by the same modification`,
      });
  }
  plan.terminations.splice(0, plan.terminations.length, ...outermost(run, plan.terminations));
  return plan;
}

function addActivation(
  run: Run,
  plan: ModificationPlan,
  elementId: string,
  found: { ancestorKey: string; create: string[] },
  variables: readonly VariableInstruction[],
  at: string,
  problems: ModificationProblem[],
): void {
  const scopes = new Set([run.model.id, ...flowScopes(run, elementId), elementId]);
  for (const v of variables) {
    if (v.scopeId && !scopes.has(v.scopeId))
      problems.push({
        instruction: at,
        elementId,
        invalid: true,
        message: `Expected the variables' scope ${v.scopeId} to be ${elementId} or one of its flow scopes (${[...scopes].join(', ')}), but it is not`,
      });
    const tooDeep = variablesDepthProblem(v.variables);
    if (tooDeep)
      problems.push({ instruction: at, elementId, invalid: true, message: depthMessage('the variables', tooDeep) });
  }
  plan.activations.push({ elementId, ...found, variables, instruction: at });
}

/** The element of the model with this id (an own property: `constructor` is no element). */
export function elementOf(run: Run, id: string): ElementDef | undefined {
  return Object.prototype.hasOwnProperty.call(run.model.elements, id) ? run.model.elements[id] : undefined;
}

/** The sub-process ids around `elementId`, outermost first (the process itself not included). */
export function flowScopes(run: Run, elementId: string): string[] {
  const chain: string[] = [];
  for (let s = run.def(elementId).scope; s !== run.model.id; s = run.def(s).scope) chain.unshift(s);
  return chain;
}

/** Why an element cannot get a token of its own, or undefined when it can. */
function unactivatable(run: Run, el: ElementDef): string | undefined {
  if (el.type === 'bpmn:StartEvent') return 'a start event (activate the element after it, or its sub-process)';
  if (el.type === 'bpmn:BoundaryEvent') return 'a boundary event (it belongs to the activity it is attached to)';
  const gateway = el.incoming
    .map((f) => run.model.flows[f]?.source)
    .find((s) => s !== undefined && run.model.elements[s]?.type === 'bpmn:EventBasedGateway');
  if (gateway) return `an event after the event-based gateway ${gateway} (activate the gateway instead)`;
  return undefined;
}

/** Finds the element instance a new `elementId` goes into; undefined (with a problem) when it cannot. */
function resolveScope(
  run: Run,
  elementId: string,
  ancestorKey: string | undefined,
  at: string,
  problems: ModificationProblem[],
): { ancestorKey: string; create: string[] } | undefined {
  const el = elementOf(run, elementId);
  const problem = (message: string, extra: Partial<ModificationProblem> = {}) => {
    problems.push({ instruction: at, elementId, message, ...extra });
    return undefined;
  };
  if (!el)
    return problem(`Expected an element ${elementId} in process ${run.model.id}, but there is none`, { invalid: true });
  const why = unactivatable(run, el);
  if (why) return problem(`Expected an element that can be activated, but ${elementId} is ${why}`, { invalid: true });
  if (!run.ei(ROOT_KEY)) return problem(`Expected instance ${run.state.id} to be running, but it has ended`);
  const chain = flowScopes(run, elementId);
  if (ancestorKey !== undefined) return fromAncestor(run, chain, elementId, ancestorKey, problem);
  let cur = ROOT_KEY;
  for (const [i, s] of chain.entries()) {
    const here = run.children(cur).filter((c) => c.elementId === s);
    if (!here.length) return creatable(run, chain.slice(i), elementId, cur, problem);
    const def = run.def(s);
    const scopes = def.multiInstance || def.loop ? here.flatMap((b) => run.children(b.key)) : here;
    if (scopes.length !== 1)
      return problem(
        `Expected one active instance of ${s} to activate ${elementId} in, but there are ${scopes.length}: choose one with ancestorKey`,
        { candidates: scopes.map((c) => c.key) },
      );
    cur = scopes[0]!.key;
  }
  return { ancestorKey: cur, create: [] };
}

function fromAncestor(
  run: Run,
  chain: string[],
  elementId: string,
  ancestorKey: string,
  problem: (message: string, extra?: Partial<ModificationProblem>) => undefined,
): { ancestorKey: string; create: string[] } | undefined {
  const anc = Object.prototype.hasOwnProperty.call(run.state.elements, ancestorKey) ? run.ei(ancestorKey) : undefined;
  if (!anc) return problem(`Expected ancestor ${ancestorKey} to be an active element instance, but there is none`);
  const at = anc.key === ROOT_KEY ? -1 : chain.indexOf(anc.elementId);
  if (anc.key !== ROOT_KEY && at < 0)
    return problem(
      `Expected ancestor ${ancestorKey} to be an instance of a flow scope of ${elementId} (${[run.model.id, ...chain].join(', ')}), but it is ${anc.elementId}`,
      { elementKey: ancestorKey },
    );
  const def = run.def(anc.elementId);
  if ((def.multiInstance || def.loop) && anc.iteration === undefined)
    return problem(
      `Expected ancestor ${ancestorKey} to be one iteration of ${anc.elementId}, but it is its multi-instance body: choose an iteration`,
      { elementKey: ancestorKey, candidates: run.children(anc.key).map((c) => c.key) },
    );
  return creatable(run, chain.slice(at + 1), elementId, anc.key, problem);
}

/** The flow scopes still to create under `ancestorKey`: refused when one of them is a multi-instance or loop. */
function creatable(
  run: Run,
  missing: string[],
  elementId: string,
  ancestorKey: string,
  problem: (message: string, extra?: Partial<ModificationProblem>) => undefined,
): { ancestorKey: string; create: string[] } | undefined {
  const mi = missing.find((s) => run.def(s).multiInstance || run.def(s).loop);
  if (mi)
    return problem(
      `Expected ${elementId} to be activated inside an active iteration of the multi-instance ${mi}, but none is active there: activate ${mi} itself, or choose an iteration with ancestorKey`,
    );
  return { ancestorKey, create: missing };
}

function planTermination(
  run: Run,
  plan: ModificationPlan,
  t: TerminateInstruction,
  at: string,
  problems: ModificationProblem[],
): void {
  if ('elementKey' in t) {
    const ei = Object.prototype.hasOwnProperty.call(run.state.elements, t.elementKey)
      ? run.ei(t.elementKey)
      : undefined;
    if (!ei)
      problems.push({
        instruction: at,
        elementKey: t.elementKey,
        message: `Expected an active element instance ${t.elementKey}, but there is none`,
      });
    else if (ei.key === ROOT_KEY)
      problems.push({
        instruction: at,
        elementKey: t.elementKey,
        invalid: true,
        message: `Expected an element instance inside the process, but ${t.elementKey} is the process instance itself: cancel the instance instead`,
      });
    else plan.terminations.push(ei.key);
    return;
  }
  const keys = activeOf(run, t.elementId);
  const joins = waitingJoins(run, t.elementId);
  if (!keys.length && !joins.length)
    problems.push({
      instruction: at,
      elementId: t.elementId,
      message: `Expected an active instance of ${t.elementId} to terminate, but there is none`,
    });
  plan.terminations.push(...keys);
  plan.joins.push(...joins);
}

function planMove(run: Run, plan: ModificationPlan, mv: MoveInstruction, at: string, problems: ModificationProblem[]) {
  const sources = activeOf(run, mv.sourceElementId).map((k) => run.ei(k)!);
  if (!sources.length) {
    problems.push({
      instruction: at,
      elementId: mv.sourceElementId,
      message: `Expected an active instance of ${mv.sourceElementId} to move, but there is none`,
    });
    return;
  }
  for (const source of sources) {
    const target = elementOf(run, mv.targetElementId) ? flowScopes(run, mv.targetElementId) : [];
    // the new token goes into the nearest element instance around the source that is a flow scope of the target
    const ancestor = chainOf(run, source.parent!).find((k) => {
      const e = run.ei(k)!;
      const body = (run.def(e.elementId).multiInstance || run.def(e.elementId).loop) && e.iteration === undefined;
      return k === ROOT_KEY || (target.includes(e.elementId) && !body);
    });
    const found = resolveScope(run, mv.targetElementId, ancestor, at, problems);
    if (!found) return;
    addActivation(run, plan, mv.targetElementId, found, mv.variableInstructions ?? [], at, problems);
    plan.terminations.push(source.key);
  }
}

/** Keys of the active instances of an element (a multi-instance counts once: its body). */
function activeOf(run: Run, elementId: string): string[] {
  return Object.values(run.state.elements)
    .filter((e: ElementInstance) => e.elementId === elementId && e.key !== ROOT_KEY)
    .filter((e) => !(e.iteration !== undefined && run.ei(e.parent!)?.elementId === elementId))
    .map((e) => e.key);
}

/** Join counters (`scopeKey/gatewayId`) of a gateway that hold waiting tokens. */
function waitingJoins(run: Run, gatewayId: string): string[] {
  return Object.entries(run.state.joins)
    .filter(([jk, counts]) => jk.endsWith(`/${gatewayId}`) && holdsTokens(counts))
    .map(([jk]) => jk);
}

/** The key and the keys of the element instances around it, innermost first. */
function chainOf(run: Run, key: string): string[] {
  const out: string[] = [];
  for (let k: string | null = key; k !== null; k = run.state.elements[k]?.parent ?? null) out.push(k);
  return out;
}

/** Keys without duplicates and without those inside another key of the list. */
function outermost(run: Run, keys: readonly string[]): string[] {
  const set = new Set(keys);
  return [...set].filter(
    (k) =>
      !chainOf(run, k)
        .slice(1)
        .some((a) => set.has(a)),
  );
}
