/**
 * Operator changes of one instance, each inside an operation of the caller (the group commit): a
 * modification, a migration (or its dry run), a cancellation, an incident retry, and the audit
 * entry that records an operator's action in the same transaction. The facade (./operations.ts)
 * and the batch runner (./batch-runner.ts) both use them, so a batch item does exactly what the
 * single request does.
 */
import type { Command } from '../core/commands.js';
import { migrateInstance, type MappingInstruction, type MigrationReport } from '../core/migrate.js';
import type { Modification } from '../core/modify.js';
import type { InstanceState } from '../core/state.js';
import type { Audit } from './api-types.js';
import { EngineError } from './api-types.js';
import type { Work } from './group-commit.js';
import type { MigrationView } from './operations-types.js';
import type { Processor } from './processor.js';
import { instanceView } from './views.js';

/** Writes one audit entry in the operation's transaction. */
export async function recordAudit(
  w: Work,
  now: number,
  action: string,
  target: { type: string; id: string | null },
  audit: Audit,
  details: Record<string, unknown> = {},
): Promise<void> {
  await w.tx.operations.audit({
    time: now,
    actor: audit.actor ?? null,
    action,
    targetType: target.type,
    targetId: target.id,
    reason: audit.reason ?? null,
    details,
  });
}

/** Applies a modification (refusals throw their EngineError before anything is written). */
export async function modifyIn(
  w: Work,
  processor: Processor,
  instanceId: string,
  modification: Modification,
  audit: Audit & { batchId?: string },
): Promise<InstanceState> {
  const cmd: Command = { type: 'ModifyInstance', modification, ...audit };
  return (await processor.command(w, instanceId, cmd, 'outside'))!;
}

/**
 * Migrates an instance to `targetVersion` of its process, or (dry run) reports what would happen
 * without writing. A real migration with problems throws `409 MIGRATION_REJECTED` listing them.
 */
export async function migrateIn(
  w: Work,
  processor: Processor,
  instanceId: string,
  req: { targetVersion: number; mappingInstructions?: readonly MappingInstruction[]; dryRun?: boolean },
  audit: Audit & { batchId?: string },
): Promise<MigrationView> {
  const current = await w.tx.instances.peek(instanceId);
  if (!current)
    throw new EngineError(404, 'INSTANCE_NOT_FOUND', `Expected instance ${instanceId} to exist, but it does not`);
  const def = await w.tx.definitions.byVersion(current.processId, req.targetVersion);
  if (!def)
    throw new EngineError(
      404,
      'PROCESS_NOT_FOUND',
      `Expected a deployed version ${req.targetVersion} of process ${current.processId} to migrate to, but there is none`,
    );
  const target = { definitionKey: def.key, version: def.version, model: await processor.model(w.tx, def.key) };
  const instructions = req.mappingInstructions ?? [];
  const view = (report: MigrationReport, ok: boolean, state?: InstanceState): MigrationView => ({
    instanceId,
    dryRun: !!req.dryRun,
    ok,
    fromVersion: current.version,
    toVersion: def.version,
    mapping: report.mapping,
    closed: report.closed,
    opened: report.opened,
    problems: report.problems,
    warnings: report.warnings,
    ...(state ? { instance: instanceView(state) } : {}),
  });
  if (req.dryRun) {
    const source = await processor.model(w.tx, current.definitionKey);
    const out = migrateInstance(current, source, target, instructions, processor.context(), audit);
    if (!out.ok && out.code === 'INSTANCE_NOT_ACTIVE') throw new EngineError(409, out.code, out.message);
    return view(out.report, out.ok);
  }
  let report: MigrationReport | undefined;
  const state = await processor.transform(w, instanceId, (s, source, ctx) => {
    const out = migrateInstance(s, source, target, instructions, ctx, audit, true);
    report = out.report;
    if (out.ok) return out;
    return { ok: false, status: out.status, code: out.code, message: out.message, details: out.report.problems };
  });
  return view(report!, true, state);
}

/**
 * Retries the open incidents of an instance that match (all when no filter is given), each with
 * the command a limit refused kept with it; resolves to how many were retried.
 */
export async function retryIncidentsIn(
  w: Work,
  processor: Processor,
  instanceId: string,
  match: { incidentType?: string; elementId?: string; retries?: number },
  audit: Audit & { batchId?: string },
): Promise<number> {
  const state = await w.tx.instances.peek(instanceId);
  if (!state)
    throw new EngineError(404, 'INSTANCE_NOT_FOUND', `Expected instance ${instanceId} to exist, but it does not`);
  const incidents = Object.values(state.incidents).filter(
    (i) =>
      (match.incidentType === undefined || i.type === match.incidentType) &&
      (match.elementId === undefined || i.elementId === match.elementId),
  );
  for (const inc of incidents) {
    // an earlier retry of this loop may have ended the element (or the instance) this one is on
    if (!(await w.tx.instances.peek(instanceId))?.incidents[inc.id]) continue;
    const row = await w.tx.incidents.get(inc.id);
    const cmd: Command = {
      type: 'RetryIncident',
      incidentId: inc.id,
      ...(match.retries !== undefined ? { retries: match.retries } : {}),
      ...audit,
    };
    await processor.command(w, instanceId, cmd, 'outside');
    if (row?.command) await processor.command(w, instanceId, row.command as Command, 'continuation');
  }
  return incidents.length;
}
