/**
 * Which outgoing sequence flows a token takes when it leaves an element (BPMN 2.0.2 §13.2 and the
 * gateway rules of §13.3): exclusive picks the first true, inclusive every true, parallel all;
 * other elements take every unconditional flow and every true conditional one, else the default.
 */
import type { ElementDef, FlowDef } from '../model/types.js';
import { evalCondition, type EvalFailure } from './feel.js';
import type { Run } from './run.js';
import type { ElementInstance } from './state.js';

export type FlowSelection = { ok: true; flows: FlowDef[] } | EvalFailure;

export function selectFlows(run: Run, ei: ElementInstance, el: ElementDef): FlowSelection {
  const out = el.outgoing.map((id) => run.model.flows[id]!).filter(Boolean);
  if (out.length === 0) return { ok: true, flows: [] };
  switch (el.type) {
    case 'bpmn:ParallelGateway':
    case 'bpmn:EventBasedGateway':
      return { ok: true, flows: out };
    case 'bpmn:ExclusiveGateway':
      return pick(run, ei, el, out, true);
    default:
      return pick(run, ei, el, out, false);
  }
}

function pick(run: Run, ei: ElementInstance, el: ElementDef, out: FlowDef[], firstOnly: boolean): FlowSelection {
  // a gateway's own scope holds only what its start listeners set (Camunda 8 decides with it)
  const vars = run.visible(el.type.endsWith('Gateway') ? ei.key : ei.parent);
  const chosen: FlowDef[] = [];
  let defaultFlow: FlowDef | undefined;
  for (const f of out) {
    if (f.id === el.defaultFlow) {
      defaultFlow = f;
      continue;
    }
    if (f.condition) {
      const r = evalCondition(f.condition, vars, run.ctx);
      if (!r.ok) return { ...r, message: `${r.message} (sequence flow ${f.id})` };
      if (!r.value) continue;
    }
    chosen.push(f);
    if (firstOnly) break;
  }
  if (chosen.length) return { ok: true, flows: chosen };
  if (defaultFlow) return { ok: true, flows: [defaultFlow] };
  return {
    ok: false,
    message: `Expected at least one condition of the outgoing flows of ${el.id} to evaluate to true, or a default flow, but none did`,
  };
}
