/**
 * Process instance migration, by Camunda 8's rules: an active instance moves to another version of
 * its process as it stands. Every active element instance must map to an element of the same type
 * in the same flow scope; its job, user task, variables and incidents stay as they are (no
 * expression is evaluated again). A catch event mapped to an equal event keeps its subscription or
 * timer (with its due time); one that is not is closed, and the target's catch events that nothing
 * maps to are opened. Joining gateways keep their waiting tokens when gateway and flows map. All or
 * nothing: any problem refuses the whole migration, and the report lists every problem.
 */
import type { ProcessModel } from '../model/types.js';
import type { HistoryEvent, Effect } from './effects.js';
import { ElementMapping, kindChange, own, ownedCatchEvents, sameTrigger } from './migrate-map.js';
import type { MappingInstruction, MigrationProblem } from './migrate-map.js';
import { Run, type CoreContext } from './run.js';
import type { CompensationRecord, ElementInstance, InstanceState, Wait } from './state.js';
import { ROOT_KEY } from './state.js';
import { closeWait, openWait } from './waits.js';

export type { MappingInstruction, MigrationProblem } from './migrate-map.js';

/** The version to migrate to. */
export interface MigrationTarget {
  readonly definitionKey: string;
  readonly version: number;
  readonly model: ProcessModel;
}

/** What a migration does or would do: the mapping of the active elements, the catch events closed and opened. */
export interface MigrationReport {
  readonly problems: MigrationProblem[];
  /** What migrates but is lost on the way (compensation of completed activities the target cannot compensate). */
  readonly warnings: string[];
  readonly mapping: { elementKey: string; sourceElementId: string; targetElementId: string | null }[];
  /** Catch events (source ids) whose subscription or timer is closed. */
  readonly closed: string[];
  /** Catch events (target ids) whose subscription or timer is opened. */
  readonly opened: string[];
}

export type MigrationOutcome =
  | {
      readonly ok: true;
      readonly state: InstanceState;
      readonly history: HistoryEvent[];
      readonly effects: Effect[];
      readonly report: MigrationReport;
    }
  | {
      readonly ok: false;
      readonly status: 409;
      readonly code: 'MIGRATION_REJECTED' | 'INSTANCE_NOT_ACTIVE';
      readonly message: string;
      readonly report: MigrationReport;
    };

/** Who asked and why, kept in the history entry of the migration. */
export interface MigrationAudit {
  readonly reason?: string;
  readonly actor?: string;
  readonly batchId?: string;
}

type Decision = { readonly wait: Wait; readonly keepAs: string | undefined };

/** Migrates a copy of `current` (or `current` itself when `owned`) from `source` to `target`. */
export function migrateInstance(
  current: InstanceState,
  source: ProcessModel,
  target: MigrationTarget,
  instructions: readonly MappingInstruction[],
  ctx: CoreContext,
  audit: MigrationAudit = {},
  owned = false,
): MigrationOutcome {
  const state = owned ? current : structuredClone(current);
  const report: MigrationReport = { problems: [], warnings: [], mapping: [], closed: [], opened: [] };
  const problems = report.problems;
  if (state.status !== 'active')
    return refuse(
      report,
      'INSTANCE_NOT_ACTIVE',
      `Expected instance ${state.id} to be active, but it is ${state.status}`,
    );
  if (target.model.id !== state.processId)
    problems.push({
      message: `Expected a version of process ${state.processId}, but the target is ${target.model.id}`,
    });
  if (target.definitionKey === state.definitionKey)
    problems.push({ message: `Expected another version than ${state.version}, but the instance runs on it already` });
  const m = new ElementMapping(source, target.model, instructions, problems);
  const elements = byDepth(state);
  const newIds = new Map<string, string>();
  for (const ei of elements) mapElement(state, m, ei, newIds, report);
  const decisions = new Map<ElementInstance, Decision[]>();
  for (const ei of elements) decisions.set(ei, planWaits(m, ei, newIds, report));
  const joins = planJoins(state, m, problems);
  if (problems.length) return rejected(report);

  const run = new Run(state, target.model, ctx);
  for (const ei of elements) relabel(run, m, ei, newIds.get(ei.key)!);
  const pending = new Set(Object.values(state.incidents).flatMap((i) => i.pending ?? []));
  for (const ei of elements) {
    const kept = new Set<string>();
    for (const d of decisions.get(ei)!) {
      if (d.keepAs === undefined) {
        closeWait(run, ei, d.wait);
        report.closed.push(d.wait.target);
        continue;
      }
      kept.add(d.keepAs);
      if (d.keepAs !== d.wait.target) {
        (d.wait as { target: string }).target = d.keepAs;
        run.effect({
          type: 'MoveWork',
          kind: d.wait.kind === 'timer' ? 'timer' : 'subscription',
          key: d.wait.key,
          elementId: d.keepAs,
        });
      }
    }
    if (pending.has(ei.key)) continue;
    for (const t of ownedCatchEvents(target.model, run.def(ei.elementId), ei)) {
      if (kept.has(t.id)) continue;
      const r = openWait(run, ei, t);
      if (!r.ok)
        problems.push({
          elementKey: ei.key,
          elementId: t.id,
          message: `Expected the event ${t.id} to be armed, but ${r.message}`,
        });
      else report.opened.push(t.id);
    }
  }
  if (problems.length) return rejected(report);
  state.joins = joins;
  moveIncidents(run, m, source.id);
  for (const [scope, records] of Object.entries(state.compensation))
    state.compensation[scope] = mapRecords(records, m, report.warnings);
  const from = state.version;
  Object.assign(state as { version: number; definitionKey: string }, {
    version: target.version,
    definitionKey: target.definitionKey,
  });
  run.effect({ type: 'ChangeDefinition', definitionKey: target.definitionKey, version: target.version });
  run.record('process-migrated', undefined, {
    elementId: target.model.id,
    elementType: 'bpmn:Process',
    fromVersion: from,
    toVersion: target.version,
    mapping: Object.fromEntries(
      report.mapping
        .filter((x) => x.sourceElementId !== x.targetElementId)
        .map((x) => [x.sourceElementId, x.targetElementId]),
    ),
    closed: report.closed,
    opened: report.opened,
    ...(report.warnings.length ? { warnings: report.warnings } : {}),
    ...audit,
  });
  return { ok: true, state, history: run.history, effects: run.effects, report };
}

function refuse(
  report: MigrationReport,
  code: 'MIGRATION_REJECTED' | 'INSTANCE_NOT_ACTIVE',
  message: string,
): MigrationOutcome {
  return { ok: false, status: 409, code, message, report };
}

function rejected(report: MigrationReport): MigrationOutcome {
  const n = report.problems.length;
  const more = n > 1 ? ` (and ${n - 1} more problem${n > 2 ? 's' : ''})` : '';
  return refuse(report, 'MIGRATION_REJECTED', `The instance cannot be migrated: ${report.problems[0]!.message}${more}`);
}

/** The element instances, each scope before the instances inside it. */
function byDepth(state: InstanceState): ElementInstance[] {
  const depth = (ei: ElementInstance): number => {
    let n = 0;
    for (let k = ei.parent; k !== null; k = state.elements[k]?.parent ?? null) n++;
    return n;
  };
  return Object.values(state.elements)
    .map((ei) => [ei, depth(ei)] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([ei]) => ei);
}

/** Checks what one active element instance becomes: the same kind of element, in the flow scope its scope becomes. */
function mapElement(
  state: InstanceState,
  m: ElementMapping,
  ei: ElementInstance,
  newIds: Map<string, string>,
  report: MigrationReport,
): void {
  const problem = (message: string, targetElementId?: string): void =>
    void report.problems.push({
      elementKey: ei.key,
      elementId: ei.elementId,
      message,
      ...(targetElementId ? { targetElementId } : {}),
    });
  if (ei.key === ROOT_KEY) {
    newIds.set(ei.key, m.target.id);
    return;
  }
  const t = m.of(ei.elementId);
  report.mapping.push({ elementKey: ei.key, sourceElementId: ei.elementId, targetElementId: t ?? null });
  if (t === undefined)
    return problem(
      m.isExplicit(ei.elementId)
        ? `Expected the active element ${ei.elementId} to be mapped to an element, but it is mapped to none`
        : `Expected the active element ${ei.elementId} to be mapped, but the target has no ${m.src(ei.elementId).type.slice(5)} ${ei.elementId}: map it to an element`,
    );
  const tel = m.tgt(t);
  if (!tel)
    return problem(`Expected ${ei.elementId} to be mapped to an element, but the target has no element ${t}`, t);
  const change = kindChange(m.src(ei.elementId), tel);
  if (change) return problem(`Expected ${ei.elementId} to keep its kind, but the mapping to ${t} changes ${change}`, t);
  newIds.set(ei.key, t);
  if (ei.iteration !== undefined) return;
  const parentId = ei.parent === ROOT_KEY ? m.target.id : newIds.get(ei.parent!);
  if (parentId !== undefined && tel.scope !== parentId)
    problem(
      `Expected ${ei.elementId} to stay in the flow scope it is in (${state.elements[ei.parent!]?.elementId} becomes ${parentId}), but its target ${t} is in ${tel.scope}`,
      t,
    );
}

/** Per wait of `ei`: the target catch event it is kept as, or undefined (closed). */
function planWaits(
  m: ElementMapping,
  ei: ElementInstance,
  newIds: Map<string, string>,
  report: MigrationReport,
): Decision[] {
  const owner = newIds.get(ei.key);
  const out: Decision[] = [];
  if (owner === undefined) return out;
  const allowed = ownedCatchEvents(m.target, m.tgt(owner)!, ei);
  const taken = new Set<string>();
  for (const wait of ei.waits ?? []) {
    if (wait.target === ei.elementId && !m.src(wait.target).attachedTo) {
      out.push({ wait, keepAs: owner });
      continue;
    }
    const explicit = m.isExplicit(wait.target);
    const t = m.of(wait.target);
    const tel = t === undefined ? undefined : allowed.find((a) => a.id === t);
    const src = m.src(wait.target);
    let keepAs: string | undefined;
    if (explicit && t !== undefined) {
      if (!tel || kindChange(src, tel))
        report.problems.push({
          elementKey: ei.key,
          elementId: wait.target,
          targetElementId: t,
          message: `Expected the catch event ${wait.target} to be mapped to a ${src.event?.kind} catch event of ${owner}, but ${t} is not one`,
        });
      else keepAs = t;
    } else if (!explicit && tel && !kindChange(src, tel) && sameTrigger(src, tel)) keepAs = t;
    if (keepAs !== undefined && taken.has(keepAs))
      report.problems.push({
        elementKey: ei.key,
        elementId: wait.target,
        targetElementId: keepAs,
        message: `Expected each catch event of the target to be mapped to once, but ${keepAs} is mapped to twice`,
      });
    if (keepAs !== undefined) taken.add(keepAs);
    out.push({ wait, keepAs });
  }
  return out;
}

/** The joining gateways' waiting tokens under the target's gateway and flow ids. */
function planJoins(state: InstanceState, m: ElementMapping, problems: MigrationProblem[]): InstanceState['joins'] {
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
function relabel(run: Run, m: ElementMapping, ei: ElementInstance, id: string): void {
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

function moveIncidents(run: Run, m: ElementMapping, sourceId: string): void {
  for (const inc of Object.values(run.state.incidents)) {
    const ei = run.ei(inc.elementKey);
    const id = ei ? ei.elementId : inc.elementId === sourceId ? m.target.id : (m.of(inc.elementId) ?? inc.elementId);
    if (id === inc.elementId) continue;
    run.state.incidents[inc.id] = { ...inc, elementId: id };
    run.effect({ type: 'MoveWork', kind: 'incident', key: inc.id, elementId: id });
  }
}

/** Compensation records under the target's ids; what the target cannot compensate is dropped with a warning. */
function mapRecords(
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
