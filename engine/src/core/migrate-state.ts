/**
 * What a migration (./migrate.ts) carries over with the element instances: their new ids (jobs and
 * user tasks follow), tokens waiting at joining gateways, incidents, and the compensation records
 * of completed activities.
 */
import type { ProcessModel } from '../model/types.js';
import { kindChange, own, type ElementMapping, type MigrationProblem } from './migrate-map.js';
import type { Run } from './run.js';
import type { CompensationRecord, ElementInstance, InstanceState } from './state.js';

/** The fired marks of complex gateways under the target's gateway ids (unmapped ones are reported by {@link planJoins}). */
export function planComplexFired(state: InstanceState, m: ElementMapping): InstanceState['complexFired'] {
  if (!state.complexFired) return undefined;
  const out: Record<string, true> = {};
  for (const jk of Object.keys(state.complexFired)) {
    const slash = jk.indexOf('/');
    const t = m.of(jk.slice(slash + 1));
    if (t) out[`${jk.slice(0, slash)}/${t}`] = true;
  }
  return out;
}

/** The joining gateways' waiting tokens under the target's gateway and flow ids. */
export function planJoins(
  state: InstanceState,
  m: ElementMapping,
  problems: MigrationProblem[],
): InstanceState['joins'] {
  const out: InstanceState['joins'] = {};
  for (const [jk, counts] of Object.entries(state.joins)) {
    const slash = jk.indexOf('/');
    const scope = jk.slice(0, slash);
    const gw = jk.slice(slash + 1);
    const t = m.of(gw);
    const tel = t === undefined ? undefined : m.tgt(t);
    if (!t || !tel || kindChange(m.src(gw), tel) || tel.incoming.length < m.src(gw).incoming.length) {
      problems.push({
        elementId: gw,
        message: `Expected the joining gateway ${gw}, where tokens wait, to be mapped to a gateway of the same type with at least ${m.src(gw).incoming.length} incoming flows, but ${t ? `${t} is not one` : 'it is not mapped'}`,
      });
      continue;
    }
    const mapped: Record<string, number> = {};
    for (const [flow, n] of Object.entries(counts)) {
      const f = flow.startsWith('$') ? flow : m.flowOf(flow, t);
      if (f === undefined && n > 0)
        problems.push({
          elementId: flow,
          message: `Expected the taken flow ${flow} into ${gw} to be mapped to a flow into ${t}, but it is not`,
        });
      else if (f !== undefined) mapped[f] = (mapped[f] ?? 0) + n;
    }
    out[`${scope}/${t}`] = mapped;
  }
  return out;
}

/** Gives the element instance its target id; its job and user task follow. */
export function relabel(run: Run, m: ElementMapping, ei: ElementInstance, id: string): void {
  if (id === ei.elementId) return;
  (ei as { elementId: string }).elementId = id;
  if (ei.job) run.effect({ type: 'MoveWork', kind: 'job', key: ei.job.key, elementId: id });
  if (ei.userTask) run.effect({ type: 'MoveWork', kind: 'userTask', key: ei.userTask, elementId: id });
  if (ei.compensates) {
    const was = ei.compensates.elementId;
    ei.compensates = { thrower: ei.compensates.thrower, elementId: m.of(was) ?? was };
  }
  if (ei.cancelBoundary) {
    const b = m.of(ei.cancelBoundary);
    if (b !== undefined) ei.cancelBoundary = b;
  }
  if (ei.compensation) ei.compensation = { ...ei.compensation, pending: mapRecords(ei.compensation.pending, m, []) };
}

/** Incidents stay with their element instance, under its new element id (one on the process: the target process). */
export function moveIncidents(run: Run, m: ElementMapping, sourceId: string): void {
  for (const inc of Object.values(run.state.incidents)) {
    const ei = run.ei(inc.elementKey);
    const id = ei ? ei.elementId : inc.elementId === sourceId ? m.target.id : (m.of(inc.elementId) ?? inc.elementId);
    if (id === inc.elementId) continue;
    run.state.incidents[inc.id] = { ...inc, elementId: id };
    run.effect({ type: 'MoveWork', kind: 'incident', key: inc.id, elementId: id });
  }
}

/** Compensation records under the target's ids; what the target cannot compensate is dropped with a warning. */
export function mapRecords(
  records: readonly CompensationRecord[],
  m: ElementMapping,
  warnings: string[],
): CompensationRecord[] {
  const out: CompensationRecord[] = [];
  for (const r of records) {
    const t = m.of(r.elementId);
    const tel = t === undefined ? undefined : m.tgt(t);
    const inner = r.inner ? mapRecords(r.inner, m, warnings) : undefined;
    const handler = r.handler && tel ? handlerOf(m.target, tel) : undefined;
    if (!tel || (r.handler && !handler)) {
      warnings.push(
        `The completed ${r.elementId} cannot be compensated in the target version: its compensation is dropped`,
      );
      if (!tel || !inner?.length) continue;
    }
    out.push({
      elementId: t!,
      seq: r.seq,
      ...(handler ? { handler } : {}),
      ...(inner ? { inner } : {}),
      ...(r.vars ? { vars: r.vars } : {}),
    });
  }
  return out;
}

/** The compensation handler of an activity: its compensation boundary's handler, or its compensation event sub-process. */
function handlerOf(
  model: ProcessModel,
  el: { boundaries?: readonly string[]; eventSubprocesses?: readonly string[] },
): string | undefined {
  for (const b of el.boundaries ?? []) {
    const d = own(model.elements, b);
    if (d?.event?.kind === 'compensate' && d.compensationHandler) return d.compensationHandler;
  }
  return (el.eventSubprocesses ?? []).find((esp) =>
    (own(model.elements, esp)?.children ?? []).some((c) => own(model.elements, c)?.event?.kind === 'compensate'),
  );
}
