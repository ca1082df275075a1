/**
 * The imperative shell around the core: loads an instance, runs a command through the pure core,
 * and writes the new state, its history and its effects — all inside the caller's transaction.
 * Effects that reach other instances (call activities, signals, buffered messages) become further
 * work items processed in the same transaction.
 */
import type { Logger } from 'pino';
import type { Command } from '../core/commands.js';
import type { Effect } from '../core/effects.js';
import { execute, startInstance, type NewInstance, type Outcome } from '../core/execute.js';
import { DEFAULT_BUDGETS, type Budgets } from '../core/budgets.js';
import type { CoreContext } from '../core/run.js';
import type { InstanceState } from '../core/state.js';
import type { ProcessModel } from '../model/types.js';
import type { DefinitionRow, JobRow, Store } from '../storage/store.js';
import { EngineError } from './api-types.js';
import { cpuMeter } from './cpu-meter.js';
import type { Metrics } from './metrics.js';

export type WorkItem =
  | { readonly kind: 'command'; readonly instanceId: string; readonly cmd: Command }
  | {
      readonly kind: 'start';
      readonly def: DefinitionRow;
      readonly init: Omit<NewInstance, 'definitionKey' | 'processId' | 'version'>;
      readonly startKey?: string | null;
    };

export interface ProcessorDeps {
  readonly store: Store;
  readonly now: () => number;
  readonly metrics?: Metrics;
  readonly logger?: Logger;
  /** The budgets every command runs under (see core/budgets.ts); unset ones take the defaults. */
  readonly budgets?: Partial<Budgets>;
  /** Work units of one FEEL evaluation (default: the FEEL layer's). */
  readonly feelBudget?: number;
  /** Largest instance state (variables included), in bytes of JSON; default 2 MiB. */
  readonly maxStateBytes?: number;
  /** Most history entries one instance may have; default 50,000. */
  readonly maxHistory?: number;
  /** Job types run by in-process handlers: their new jobs are handed over right after the commit. */
  readonly isHandled?: (type: string) => boolean;
}

export const DEFAULT_MAX_STATE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_HISTORY = 50_000;

/** What a run of work did: the state the first item left (none when it was rejected softly). */
export interface WorkResult {
  readonly state?: InstanceState;
}

export class Processor {
  private readonly models = new Map<string, ProcessModel>();
  /**
   * Runnable jobs of in-process types written by operations of the batch being built; the engine
   * hands them to their handlers once the batch committed (and drops them if it rolled back).
   */
  readonly pendingJobs: JobRow[] = [];

  constructor(private readonly deps: ProcessorDeps) {}

  model(definitionKey: string): ProcessModel {
    let m = this.models.get(definitionKey);
    if (!m) {
      const def = this.deps.store.definitionByKey(definitionKey);
      if (!def) throw new Error(`Expected definition ${definitionKey} in the store, but it is missing`);
      m = def.model;
      this.models.set(definitionKey, m);
    }
    return m;
  }

  newInstanceId(): string {
    return String(this.deps.store.nextId('instance'));
  }

  /** The CPU time meter of the outermost {@link run}: the CPU time budget covers everything it causes. */
  private runMeter: (() => number) | undefined;

  private newMeter(): () => number {
    return cpuMeter(this.deps.budgets?.cpuMs ?? DEFAULT_BUDGETS.cpuMs);
  }

  private ctx(): CoreContext {
    return {
      now: this.deps.now(),
      newInstanceId: () => this.newInstanceId(),
      ...(this.deps.budgets ? { budgets: this.deps.budgets } : {}),
      elapsedMs: this.runMeter ?? this.newMeter(),
      random: Math.random,
      ...(this.deps.feelBudget ? { feelBudget: this.deps.feelBudget } : {}),
    };
  }

  /**
   * Runs an item in a savepoint of its own: false, and nothing written, when it was rejected.
   * Errors that are not rejections propagate.
   */
  runIsolated(item: WorkItem): boolean {
    const mark = this.pendingJobs.length;
    try {
      this.deps.store.transaction(() => this.run(item));
      return true;
    } catch (e) {
      this.pendingJobs.length = mark;
      if (!(e instanceof EngineError)) throw e;
      this.deps.logger?.debug({ err: e }, 'work item rejected');
      return false;
    }
  }

  /**
   * Runs the first item (whose rejection throws an EngineError) and everything it causes.
   * Must be called inside a store transaction.
   */
  run(first: WorkItem): WorkResult {
    const outermost = this.runMeter === undefined;
    if (outermost) this.runMeter = this.newMeter();
    try {
      const queue: WorkItem[] = [first];
      let result: WorkResult = {};
      let primary = true;
      while (queue.length) {
        const item = queue.shift()!;
        const state = this.step(item, queue, primary);
        if (primary && state) result = { state };
        primary = false;
      }
      return result;
    } finally {
      if (outermost) this.runMeter = undefined;
    }
  }

  private step(item: WorkItem, queue: WorkItem[], primary: boolean): InstanceState | undefined {
    const { store } = this.deps;
    const ctx = this.ctx();
    let out: Outcome;
    let prevStatus: string | undefined;
    if (item.kind === 'start') {
      const init: NewInstance = {
        ...item.init,
        processId: item.def.processId,
        version: item.def.version,
        definitionKey: item.def.key,
      };
      out = startInstance(this.model(item.def.key), init, ctx);
    } else {
      const before = store.takeState(item.instanceId);
      if (!before) {
        if (primary)
          throw new EngineError(
            404,
            'INSTANCE_NOT_FOUND',
            `Expected instance ${item.instanceId} to exist, but it does not`,
          );
        return undefined;
      }
      prevStatus = before.status;
      out = execute(before, this.model(before.definitionKey), item.cmd, ctx, true);
    }
    if (!out.ok) {
      if (primary) throw new EngineError(out.status, out.code, out.message);
      this.deps.logger?.debug(
        { instanceId: item.kind === 'command' ? item.instanceId : undefined, code: out.code },
        out.message,
      );
      this.refuseChild(item, out.message, queue);
      return undefined;
    }
    const now = ctx.now;
    const limit = this.checkLimits(out.state, out.history.length, out.state.status !== 'active');
    if (!limit.ok) {
      if (primary) throw limit.error;
      this.deps.logger?.warn({ instanceId: out.state.id, code: limit.error.code }, limit.error.message);
      this.refuseChild(item, limit.error.message, queue);
      return undefined;
    }
    if (item.kind === 'start') {
      store.insertInstance(out.state, item.startKey ?? null, limit.encoded);
      this.deps.metrics?.instancesStarted.inc();
    } else store.saveInstance(out.state, limit.encoded);
    store.appendHistory(out.state.id, now, out.history);
    if (prevStatus !== out.state.status) {
      if (out.state.status === 'completed') this.deps.metrics?.instancesCompleted.inc();
      if (out.state.status === 'cancelled') this.deps.metrics?.instancesCancelled.inc();
    }
    for (const e of out.effects) this.apply(out.state, e, queue, now);
    this.log(out.state, out.history);
    return out.state;
  }

  /**
   * A called instance that was refused (a limit, its variables) must not leave its caller waiting
   * for a child that does not exist: the call activity gets an incident, retried once fixed.
   */
  private refuseChild(item: WorkItem, reason: string, queue: WorkItem[]): void {
    if (item.kind !== 'start' || !item.init.parent) return;
    queue.push({
      kind: 'command',
      instanceId: item.init.parent.instanceId,
      cmd: {
        type: 'RaiseIncident',
        elementKey: item.init.parent.elementKey,
        incidentType: 'CALLED_INSTANCE_REFUSED',
        message: `Expected the called process ${item.def.processId} to start, but it was refused: ${reason}`,
      },
    });
  }

  /**
   * The instance limits (Temporal's 2 MB payload and 50k-event history are the anchors): a command
   * that would exceed them is rejected and changes nothing. Ending an instance is always allowed.
   */
  private checkLimits(
    state: InstanceState,
    added: number,
    ending: boolean,
  ): { ok: true; encoded: string } | { ok: false; error: EngineError } {
    const maxHistory = this.deps.maxHistory ?? DEFAULT_MAX_HISTORY;
    const count = (state.historyCount ?? 0) + added;
    if (count > maxHistory && !ending) {
      return {
        ok: false,
        error: new EngineError(
          409,
          'HISTORY_LIMIT_EXCEEDED',
          `Expected instance ${state.id} to stay within ${maxHistory} history entries, but this command would bring it to ${count}; cancel the instance or raise the limit`,
        ),
      };
    }
    state.historyCount = count;
    const encoded = JSON.stringify(state);
    const maxBytes = this.deps.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES;
    if (encoded.length > maxBytes && !ending) {
      return {
        ok: false,
        error: new EngineError(
          413,
          'VARIABLES_TOO_LARGE',
          `Expected the variables of instance ${state.id} to stay within ${maxBytes} bytes, but they would take ${encoded.length}`,
        ),
      };
    }
    return { ok: true, encoded };
  }

  /** One JSON log line per history event: instance-level ones at info, element-level ones at debug. */
  private log(state: InstanceState, history: readonly { type: string; elementId?: string; jobKey?: unknown }[]): void {
    const log = this.deps.logger;
    if (!log) return;
    const debug = log.isLevelEnabled('debug');
    for (const h of history) {
      if (h.type.startsWith('process-')) log.info({ instanceId: state.id, processId: state.processId }, h.type);
      else if (debug) log.debug({ instanceId: state.id, elementId: h.elementId, jobKey: h.jobKey }, h.type);
    }
  }

  private apply(state: InstanceState, e: Effect, queue: WorkItem[], now: number): void {
    const { store, metrics } = this.deps;
    const id = state.id;
    switch (e.type) {
      case 'CreateJob': {
        const row: JobRow = {
          key: e.job.key,
          instanceId: id,
          elementKey: e.job.elementKey,
          elementId: e.job.elementId,
          type: e.job.type,
          retries: e.job.retries,
          headers: e.job.headers,
          state: 'activatable',
          dueAt: now,
          worker: null,
          lockUntil: null,
          errorMessage: null,
          createdAt: now,
        };
        store.insertJob(row);
        if (this.deps.isHandled?.(row.type)) this.pendingJobs.push(row);
        metrics?.jobsCreated.inc();
        return;
      }
      case 'UpdateJob':
        store.updateJob(e.key, {
          retries: e.retries,
          state: e.state,
          ...(e.dueAt !== undefined ? { dueAt: e.dueAt } : {}),
          ...(e.errorMessage ? { errorMessage: e.errorMessage } : {}),
        });
        return;
      case 'RemoveJob':
        store.deleteJob(e.key);
        return;
      case 'ScheduleTimer':
        store.upsertTimer({
          key: e.key,
          instanceId: id,
          elementKey: e.elementKey,
          elementId: e.elementId,
          definitionKey: null,
          dueAt: e.dueAt,
          repeat: null,
        });
        return;
      case 'CancelTimer':
        store.deleteTimer(e.key);
        return;
      case 'OpenSubscription': {
        store.insertSubscription(
          {
            key: e.key,
            kind: e.kind,
            name: e.name,
            correlationKey: e.correlationKey ?? null,
            instanceId: id,
            elementKey: e.elementKey,
            elementId: e.elementId,
            definitionKey: null,
          },
          now,
        );
        if (e.kind === 'message') {
          const m = store.takeBufferedMessage(e.name, e.correlationKey ?? null, now);
          if (m)
            queue.push({
              kind: 'command',
              instanceId: id,
              cmd: { type: 'CorrelateMessage', subscriptionKey: e.key, variables: m.variables, name: m.name },
            });
        }
        return;
      }
      case 'CloseSubscription':
        store.deleteSubscription(e.key);
        return;
      case 'CreateUserTask':
        store.insertUserTask({
          id: e.id,
          instanceId: id,
          elementKey: e.elementKey,
          elementId: e.elementId,
          name: e.name,
          assignee: e.assignee,
          candidateGroups: e.candidateGroups,
          formKey: e.formKey,
          createdAt: now,
        });
        return;
      case 'RemoveUserTask':
        store.deleteUserTask(e.id);
        return;
      case 'CreateIncident':
        store.insertIncident({
          id: e.id,
          instanceId: id,
          elementKey: e.elementKey,
          elementId: e.elementId,
          type: e.incidentType,
          message: e.message,
          jobKey: e.jobKey ?? null,
          createdAt: now,
        });
        metrics?.incidentsCreated.inc();
        this.deps.logger?.warn({ instanceId: id, elementId: e.elementId, jobKey: e.jobKey }, `incident: ${e.message}`);
        return;
      case 'ResolveIncident':
        store.deleteIncident(e.id);
        return;
      case 'StartChildInstance': {
        const sameDeployment = e.sameDeployment
          ? store
              .definitionsOfDeployment(store.definitionByKey(state.definitionKey)!.deploymentId)
              .find((d) => d.processId === e.processId)
          : undefined;
        const def = e.versionTag
          ? store.definitionByTag(e.processId, e.versionTag)
          : e.sameDeployment
            ? sameDeployment
            : store.latestDefinition(e.processId);
        if (!def) {
          queue.push({
            kind: 'command',
            instanceId: id,
            cmd: {
              type: 'RaiseIncident',
              elementKey: e.elementKey,
              incidentType: 'CALLED_ELEMENT_NOT_FOUND',
              message: `Expected a deployed process ${e.processId}${e.versionTag ? ` with version tag ${e.versionTag}` : e.sameDeployment ? ' in the same deployment as the caller' : ''} to call, but there is none`,
            },
          });
          return;
        }
        queue.push({
          kind: 'start',
          def,
          init: {
            id: e.childId,
            businessKey: state.businessKey,
            parent: { instanceId: id, elementKey: e.elementKey },
            callDepth: e.callDepth,
            variables: e.variables,
          },
        });
        return;
      }
      case 'CancelChildInstance':
        queue.push({
          kind: 'command',
          instanceId: e.childId,
          cmd: { type: 'CancelInstance', reason: 'the calling activity was terminated', byParent: true },
        });
        return;
      case 'NotifyParent':
        queue.push({
          kind: 'command',
          instanceId: e.parentId,
          cmd:
            e.outcome === 'completed'
              ? { type: 'CompleteChild', elementKey: e.elementKey, variables: e.variables }
              : {
                  type: 'ThrowFromChild',
                  elementKey: e.elementKey,
                  kind: e.outcome,
                  variables: e.variables,
                  ...(e.code !== undefined ? { code: e.code } : {}),
                },
        });
        return;
      case 'PublishMessage':
        this.correlate(e.name, e.correlationKey ?? null, e.variables);
        return;
      case 'BroadcastSignal':
        this.broadcast(e.name, e.variables, queue);
        return;
    }
  }

  /**
   * Correlates a message now (inside the caller's transaction): to every instance with a matching
   * subscription (once per instance) and to the message start events of that name (at most one
   * active instance per process and correlation key).
   */
  correlate(
    name: string,
    correlationKey: string | null,
    variables: Record<string, unknown>,
  ): { correlated: string[]; started: string[] } {
    const correlated: string[] = [];
    const started: string[] = [];
    for (const sub of this.deps.store.messageSubscriptions(name, correlationKey)) {
      if (sub.instanceId) {
        if (correlated.includes(sub.instanceId)) continue;
        if (
          this.runIsolated({
            kind: 'command',
            instanceId: sub.instanceId,
            cmd: { type: 'CorrelateMessage', subscriptionKey: sub.key, variables, name },
          })
        )
          correlated.push(sub.instanceId);
      } else if (sub.definitionKey) {
        const def = this.deps.store.definitionByKey(sub.definitionKey)!;
        const startKey = correlationKey !== null ? `${def.processId}\u0000${correlationKey}` : null;
        if (startKey && this.deps.store.activeByStartKey(startKey)) continue;
        const id = this.newInstanceId();
        if (
          this.runIsolated({
            kind: 'start',
            def,
            init: { id, businessKey: correlationKey, variables, startElementId: sub.elementId },
            startKey,
          })
        )
          started.push(id);
      }
    }
    return { correlated, started };
  }

  /** Queues a trigger for every signal subscription and signal start event of that name. */
  broadcast(name: string, variables: Record<string, unknown>, queue: WorkItem[]): number {
    let n = 0;
    for (const sub of this.deps.store.signalSubscriptions(name)) {
      n++;
      if (sub.instanceId)
        queue.push({
          kind: 'command',
          instanceId: sub.instanceId,
          cmd: { type: 'TriggerSignal', subscriptionKey: sub.key, variables },
        });
      else if (sub.definitionKey) {
        const def = this.deps.store.definitionByKey(sub.definitionKey)!;
        queue.push({
          kind: 'start',
          def,
          init: { id: this.newInstanceId(), businessKey: null, variables, startElementId: sub.elementId },
        });
      }
    }
    return n;
  }
}
