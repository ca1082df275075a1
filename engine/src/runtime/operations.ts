/**
 * The operations facade (issue 15): instance modification and migration, batch operations and the
 * audit log. Every change is one operation of the group commit on one instance, with its audit
 * entry in the same transaction; a batch operation is created here (its items selected in SQL) and
 * run by ./batch-runner.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Modification } from '../core/modify.js';
import type { BatchItemState, BatchRow, Store } from '../storage/port.js';
import type { Audit, InstanceView } from './api-types.js';
import { EngineError } from './api-types.js';
import type { Op } from './group-commit.js';
import { migrateIn, modifyIn, recordAudit } from './instance-ops.js';
import type {
  AuditFilter,
  AuditView,
  BatchItemView,
  BatchRequest,
  BatchView,
  ElementInstanceView,
  MigrationRequest,
  MigrationView,
  OperationsPort,
} from './operations-types.js';
import type { Processor } from './processor.js';
import { instanceView } from './views.js';

export interface OperationsDeps {
  readonly store: Store;
  readonly processor: Processor;
  readonly now: () => number;
  /** Submits an operation to the group commit (refused while the engine shuts down). */
  readonly submit: <T>(command: string, op: Op<T>) => Promise<T>;
  /** After commit: a batch operation was created (the runner starts on it). */
  readonly batchCreated: () => void;
  /** Most instances one batch operation may select. */
  readonly maxBatchItems: number;
}

/** Default of {@link OperationsDeps.maxBatchItems}: larger selections are refused (narrow the filter). */
export const MAX_BATCH_ITEMS = 100_000;

const iso = (ms: number) => new Date(ms).toISOString();

export class Operations implements OperationsPort {
  constructor(private readonly d: OperationsDeps) {}

  async elementInstances(instanceId: string): Promise<ElementInstanceView[] | undefined> {
    const state = await this.d.store.read.instances.state(instanceId);
    if (!state) return undefined;
    return Object.values(state.elements).map((e) => ({
      key: e.key,
      elementId: e.elementId,
      parent: e.parent,
      ...(e.iteration !== undefined ? { iteration: e.iteration } : {}),
      phase: e.phase,
      waitsFor: [
        ...(e.job ? ['job'] : []),
        ...(e.userTask ? ['userTask'] : []),
        ...(e.child ? ['child'] : []),
        ...(e.waits ?? []).map((w) => w.kind),
      ],
    }));
  }

  modifyInstance(instanceId: string, modification: Modification, audit: Audit = {}): Promise<InstanceView> {
    return this.d.submit('ModifyInstance', {
      targets: [instanceId],
      run: async (w) => {
        const state = await modifyIn(w, this.d.processor, instanceId, modification, audit);
        await recordAudit(w, this.d.now(), 'modify', { type: 'instance', id: instanceId }, audit, { modification });
        return instanceView(state);
      },
    });
  }

  migrateInstance(instanceId: string, req: MigrationRequest, audit: Audit = {}): Promise<MigrationView> {
    return this.d.submit('MigrateInstance', {
      targets: [instanceId],
      run: async (w) => {
        const view = await migrateIn(w, this.d.processor, instanceId, req, audit);
        if (!req.dryRun)
          await recordAudit(w, this.d.now(), 'migrate', { type: 'instance', id: instanceId }, audit, {
            fromVersion: view.fromVersion,
            toVersion: view.toVersion,
            mapping: view.mapping,
          });
        return view;
      },
    });
  }

  async createBatch(req: BatchRequest, audit: Audit = {}): Promise<BatchView> {
    const params = batchParams(req);
    const f = req.filter;
    const id = randomUUID();
    const max = this.d.maxBatchItems;
    await this.d.submit('CreateBatch', {
      run: async (w) => {
        if (req.type === 'migrate') {
          const target = await w.tx.definitions.byVersion(f.processId!, req.migration!.targetVersion);
          if (!target)
            throw new EngineError(
              404,
              'PROCESS_NOT_FOUND',
              `Expected a deployed version ${req.migration!.targetVersion} of process ${f.processId} to migrate to, but there is none`,
            );
        }
        const now = this.d.now();
        const n = await w.tx.operations.createBatch(
          {
            id,
            kind: req.type,
            filter: { ...f },
            params,
            actor: audit.actor ?? null,
            reason: audit.reason ?? null,
            createdAt: now,
          },
          {
            statuses: f.state ? [f.state] : ['active', 'suspended'],
            ...(f.processId !== undefined ? { processId: f.processId } : {}),
            ...(f.version !== undefined ? { version: f.version } : {}),
            ...(f.elementId !== undefined ? { elementId: f.elementId } : {}),
            ...(f.incidentType !== undefined ? { incidentType: f.incidentType } : {}),
            ...(f.businessKey !== undefined ? { businessKey: f.businessKey } : {}),
            ...(f.instanceIds ? { instanceIds: f.instanceIds } : {}),
          },
          max,
        );
        if (n > max)
          throw new EngineError(
            400,
            'BATCH_TOO_LARGE',
            `Expected a filter selecting at most ${max} instances, but it selects more: narrow it (by version, element, state or business key) and run several operations`,
            [{ limit: max }],
          );
        if (n === 0) await w.tx.operations.endBatch(id, 'completed', now);
        await recordAudit(w, now, 'batch-create', { type: 'batch', id }, audit, {
          type: req.type,
          filter: f,
          total: n,
        });
        w.after(() => this.d.batchCreated());
      },
    });
    return (await this.getBatch(id))!;
  }

  async listBatches(limit: number, offset: number): Promise<{ items: BatchView[]; total: number }> {
    const { rows, total } = await this.d.store.read.operations.batches(limit, offset);
    return { items: await Promise.all(rows.map((r) => this.view(r))), total };
  }

  async getBatch(id: string): Promise<BatchView | undefined> {
    const row = await this.d.store.read.operations.batch(id);
    return row ? this.view(row) : undefined;
  }

  async batchItems(
    id: string,
    state: BatchItemState | undefined,
    limit: number,
    offset: number,
  ): Promise<BatchItemView[] | undefined> {
    if (!(await this.d.store.read.operations.batch(id))) return undefined;
    return (await this.d.store.read.operations.batchItems(id, state, limit, offset)).map((r) => ({
      instanceId: r.instanceId,
      state: r.state,
      message: r.message,
      attempts: r.attempts,
      updatedAt: r.updatedAt === null ? null : iso(r.updatedAt),
    }));
  }

  async cancelBatch(id: string, audit: Audit = {}): Promise<BatchView> {
    await this.d.submit('CancelBatch', {
      run: async (w) => {
        const now = this.d.now();
        if (!(await w.tx.operations.endBatch(id, 'cancelled', now))) {
          const row = await this.d.store.read.operations.batch(id);
          if (!row)
            throw new EngineError(404, 'BATCH_NOT_FOUND', `Expected a batch operation ${id}, but there is none`);
          throw new EngineError(
            409,
            'BATCH_NOT_RUNNING',
            `Expected batch operation ${id} to be running, but it is ${row.state}`,
          );
        }
        await recordAudit(w, now, 'batch-cancel', { type: 'batch', id }, audit);
      },
    });
    return (await this.getBatch(id))!;
  }

  async listAudit(f: AuditFilter): Promise<{ items: AuditView[]; total: number }> {
    const { rows, total } = await this.d.store.read.operations.audit({
      ...(f.actor !== undefined ? { actor: f.actor } : {}),
      ...(f.action !== undefined ? { action: f.action } : {}),
      ...(f.targetType !== undefined ? { targetType: f.targetType } : {}),
      ...(f.targetId !== undefined ? { targetId: f.targetId } : {}),
      ...(f.from !== undefined ? { from: f.from } : {}),
      ...(f.to !== undefined ? { to: f.to } : {}),
      limit: f.limit ?? 50,
      offset: f.offset ?? 0,
    });
    return { items: rows.map((r) => ({ ...r, time: iso(r.time) })), total };
  }

  private async view(r: BatchRow): Promise<BatchView> {
    return {
      id: r.id,
      type: r.kind,
      state: r.state,
      filter: r.filter,
      params: r.params,
      actor: r.actor,
      reason: r.reason,
      total: r.total,
      counts: await this.d.store.read.operations.batchCounts(r.id),
      createdAt: iso(r.createdAt),
      endedAt: r.endedAt === null ? null : iso(r.endedAt),
    };
  }
}

/** Checks a batch request's semantics and answers the parameters its items run with. */
function batchParams(req: BatchRequest): Record<string, unknown> {
  const f = req.filter;
  const invalid = (message: string) => new EngineError(400, 'INVALID_REQUEST', message);
  if (f.processId === undefined && !f.instanceIds?.length)
    throw invalid(
      'Expected a filter naming a process (processId) or instances (instanceIds), but it names neither: a batch operation never selects every instance',
    );
  switch (req.type) {
    case 'cancel':
      return {};
    case 'retry':
      return req.retries !== undefined ? { retries: req.retries } : {};
    case 'migrate':
      if (!req.migration)
        throw invalid(
          'Expected a migration (targetVersion, mappingInstructions) for a migrate operation, but there is none',
        );
      if (f.processId === undefined)
        throw invalid('Expected filter.processId for a migrate operation: the target is a version of that process');
      return { migration: req.migration };
    case 'modify': {
      const m = req.modification;
      if (!m || !(m.activate?.length || m.terminate?.length || m.move?.length))
        throw invalid(
          'Expected a modification with at least one instruction for a modify operation, but there is none',
        );
      if (m.terminate?.some((t) => 'elementKey' in t) || m.activate?.some((a) => a.ancestorKey !== undefined))
        throw invalid(
          'Expected the instructions of a batch modification to name elements (elementId), but one names an element instance key, which differs from instance to instance',
        );
      return { modification: m };
    }
  }
}
