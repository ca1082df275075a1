/**
 * Joining gateways count tokens per incoming flow (real token counting, not "discarded paths").
 * Parallel: fires when every incoming flow holds a token. Inclusive and complex: fire when no token
 * that can still reach an empty incoming flow is left in the scope (BPMN 2.0.2 §13.4.3).
 */
import type { ElementDef, ProcessModel } from '../model/types.js';
import { evalCondition } from './feel.js';
import { activate } from './lifecycle.js';
import type { Run } from './run.js';

const JOINING = new Set(['bpmn:ParallelGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway']);

export function isJoining(el: ElementDef): boolean {
  return JOINING.has(el.type) && el.incoming.length > 1;
}

export function hasJoinTokens(run: Run, scopeKey: string): boolean {
  const prefix = `${scopeKey}/`;
  for (const [jk, counts] of Object.entries(run.state.joins)) {
    if (jk.startsWith(prefix) && holdsTokens(counts)) return true;
  }
  return false;
}

/** The key a state stored by an earlier version kept a fired complex gateway under, among its flow counts. */
const STORED_FIRED = '$fired';

/** Whether a join's counts hold a waiting token (the earlier `$fired` mark is none). */
export function holdsTokens(counts: Readonly<Record<string, number>>): boolean {
  for (const f in counts) if (f !== STORED_FIRED && counts[f]! > 0) return true;
  return false;
}

/** Forgets the joins (their tokens and complex gateways' fired marks) whose key `match` accepts. */
export function dropJoins(run: Run, match: (jk: string) => boolean): void {
  const { joins, complexFired } = run.state;
  for (const jk of Object.keys(joins)) if (match(jk)) delete joins[jk];
  if (complexFired) for (const jk of Object.keys(complexFired)) if (match(jk)) delete complexFired[jk];
}

/** Fires the join as often as its tokens allow. */
export function tryJoin(run: Run, scopeKey: string, gw: ElementDef): void {
  if (gw.type === 'bpmn:ComplexGateway') {
    tryComplex(run, scopeKey, gw);
    return;
  }
  const jk = `${scopeKey}/${gw.id}`;
  for (;;) {
    const counts = run.state.joins[jk];
    if (!counts) return;
    const ready =
      gw.type === 'bpmn:ParallelGateway'
        ? gw.incoming.every((f) => (counts[f] ?? 0) > 0)
        : inclusiveReady(run, scopeKey, gw, counts);
    if (!ready) return;
    for (const f of gw.incoming) if ((counts[f] ?? 0) > 0) counts[f] = counts[f]! - 1;
    if (Object.values(counts).every((n) => n === 0)) delete run.state.joins[jk];
    activate(run, gw.id, scopeKey);
  }
}

/**
 * Complex gateway (BPMN 2.0.2 §13.4.5): fires once when its activationCondition holds
 * (`_activeTokens` = tokens arrived), then swallows the tokens still on their way and resets when
 * none can arrive any more. Without a condition it waits like an inclusive join.
 */
function tryComplex(run: Run, scopeKey: string, gw: ElementDef): void {
  const jk = `${scopeKey}/${gw.id}`;
  const counts = run.state.joins[jk];
  if (!counts) return;
  if (counts[STORED_FIRED]) {
    delete counts[STORED_FIRED];
    (run.state.complexFired ??= {})[jk] = true;
  }
  const arrived = gw.incoming.reduce((n, f) => n + (counts[f] ?? 0), 0);
  const settled = inclusiveReady(run, scopeKey, gw, counts, true);
  if (!run.state.complexFired?.[jk]) {
    let fire = settled;
    if (gw.activationCondition) {
      const r = evalCondition(gw.activationCondition, { ...run.visible(scopeKey), _activeTokens: arrived }, run.ctx);
      fire = r.ok && r.value;
    }
    if (!fire) return;
    (run.state.complexFired ??= {})[jk] = true;
    activate(run, gw.id, scopeKey);
  }
  if (settled) dropJoins(run, (k) => k === jk);
}

/** Inclusive joins waiting in a scope may become ready when another token there goes away. */
export function retryInclusiveJoins(run: Run, scopeKey: string): void {
  const prefix = `${scopeKey}/`;
  for (const jk of Object.keys(run.state.joins)) {
    if (!jk.startsWith(prefix)) continue;
    const gw = run.def(jk.slice(prefix.length));
    if (gw.type !== 'bpmn:ParallelGateway') tryJoin(run, scopeKey, gw);
  }
}

/**
 * True when no token left in the scope can still reach an incoming flow of the gateway that has
 * none (with `anyFlow`, any incoming flow at all: the complex gateway's reset).
 */
function inclusiveReady(
  run: Run,
  scopeKey: string,
  gw: ElementDef,
  counts: Record<string, number>,
  anyFlow = false,
): boolean {
  if (!gw.incoming.some((f) => (counts[f] ?? 0) > 0)) return false;
  const empty = anyFlow ? [...gw.incoming] : gw.incoming.filter((f) => !((counts[f] ?? 0) > 0));
  if (empty.length === 0) return true;
  const positions: string[] = run.children(scopeKey).map((c) => c.elementId);
  const prefix = `${scopeKey}/`;
  for (const [jk, c] of Object.entries(run.state.joins)) {
    if (jk.startsWith(prefix) && jk !== `${scopeKey}/${gw.id}` && holdsTokens(c))
      positions.push(jk.slice(prefix.length));
  }
  for (const p of positions) {
    const reach = reachableFlows(run.model, p, gw.id);
    if (empty.some((f) => reach.has(f))) return false;
  }
  return true;
}

const reachCache = new WeakMap<ProcessModel, Map<string, Set<string>>>();

/** Flow ids reachable from an element (its boundary events included), not passing through `stop`. */
function reachableFlows(model: ProcessModel, from: string, stop: string): Set<string> {
  let perModel = reachCache.get(model);
  if (!perModel) reachCache.set(model, (perModel = new Map()));
  const ck = `${from}>${stop}`;
  const hit = perModel.get(ck);
  if (hit) return hit;
  const seen = new Set<string>();
  const visited = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const el = model.elements[id];
    if (!el) continue;
    const outs = [...el.outgoing];
    for (const b of el.boundaries ?? []) outs.push(...(model.elements[b]?.outgoing ?? []));
    for (const fid of outs) {
      seen.add(fid);
      const t = model.flows[fid]?.target;
      if (t && t !== stop) stack.push(t);
    }
  }
  perModel.set(ck, seen);
  return seen;
}
