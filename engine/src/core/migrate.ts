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
import { ElementMapping, kindChange, ownedCatchEvents, sameTrigger } from './migrate-map.js';
import { mapRecords, moveIncidents, planComplexFired, planJoins, relabel } from './migrate-state.js';
import type { MappingInstruction, MigrationProblem } from './migrate-map.js';
import { Run, type CoreContext } from './run.js';
import type { ElementInstance, InstanceState, Wait } from './state.js';
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
  if (state.status !== 'active')
    return refuse(
      report,
      'INSTANCE_NOT_ACTIVE',
      `Expected instance ${state.id} to be active, but it is ${state.status}`,
    );
  const plan = planMigration(state, source, target, instructions, report);
  if (report.problems.length) return rejected(report);
  const run = new Run(state, target.model, ctx);
  for (const ei of plan.elements) relabel(run, plan.m, ei, plan.newIds.get(ei.key)!);
  applyWaits(run, plan, report);
  if (report.problems.length) return rejected(report);
  state.joins = plan.joins;
  const fired = planComplexFired(state, plan.m);
  if (fired) state.complexFired = fired;
  moveIncidents(run, plan.m, source.id);
  for (const [scope, records] of Object.entries(state.compensation))
    state.compensation[scope] = mapRecords(records, plan.m, report.warnings);
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

/** What a migration will do, found before anything changes; problems go to the report. */
interface Plan {
  readonly m: ElementMapping;
  readonly elements: ElementInstance[];
  /** Element instance key → its target element id. */
  readonly newIds: Map<string, string>;
  readonly decisions: Map<ElementInstance, Decision[]>;
  readonly joins: InstanceState['joins'];
}

function planMigration(
  state: InstanceState,
  source: ProcessModel,
  target: MigrationTarget,
  instructions: readonly MappingInstruction[],
  report: MigrationReport,
): Plan {
  const problems = report.problems;
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
  return { m, elements, newIds, decisions, joins: planJoins(state, m, problems) };
}

/**
 * Per element instance: closes the waits that do not carry over, re-labels those that do, and opens
 * the target's catch events nothing maps to (except for activations still to run: they arm their own).
 */
function applyWaits(run: Run, plan: Plan, report: MigrationReport): void {
  const pending = new Set(Object.values(run.state.incidents).flatMap((i) => i.pending ?? []));
  for (const ei of plan.elements) {
    const kept = new Set<string>();
    for (const d of plan.decisions.get(ei)!) {
      if (d.keepAs === undefined) {
        closeWait(run, ei, d.wait);
        report.closed.push(d.wait.target);
        continue;
      }
      kept.add(d.keepAs);
      if (d.keepAs === d.wait.target) continue;
      (d.wait as { target: string }).target = d.keepAs;
      const kind = d.wait.kind === 'timer' ? 'timer' : 'subscription';
      run.effect({ type: 'MoveWork', kind, key: d.wait.key, elementId: d.keepAs });
    }
    if (pending.has(ei.key)) continue;
    for (const t of ownedCatchEvents(plan.m.target, run.def(ei.elementId), ei)) {
      if (kept.has(t.id)) continue;
      const r = openWait(run, ei, t);
      if (r.ok) report.opened.push(t.id);
      else
        report.problems.push({
          elementKey: ei.key,
          elementId: t.id,
          message: `Expected the event ${t.id} to be armed, but ${r.message}`,
        });
    }
  }
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
