/**
 * The imperative shell around the core, for one instance at a time: loads the instance, runs a
 * command through the pure core, checks the instance limits, and writes the new state, its history
 * and its effects in the caller's transaction (./effects.ts). Effects on other instances travel
 * through the inbox; nothing here touches a second instance.
 *
 * A command from the outside (an API call) that the instance refuses is answered with an
 * {@link EngineError}. A continuation (a timer firing, an in-process job's result, a delivery from
 * the inbox) is never dropped for a limit: the instance gets an incident that keeps the command, and
 * retrying the incident applies it again.
 */
import type { Logger } from 'pino';
import type { Command } from '../core/commands.js';
import type { Effect, HistoryEvent } from '../core/effects.js';
import { commandElementKey, execute, startInstance, type NewInstance, type Outcome } from '../core/execute.js';
import { DEFAULT_BUDGETS, type Budgets } from '../core/budgets.js';
import type { LinkedResources } from '../core/links.js';
import type { CoreContext } from '../core/run.js';
import type { InstanceState } from '../core/state.js';
import type { ProcessModel } from '../model/types.js';
import { ConflictError, type DefinitionRow, type Tx } from '../storage/port.js';
import { EngineError } from './api-types.js';
import { applyEffects, type EffectSinks } from './effects.js';
import { cpuMeter } from './cpu-meter.js';
import type { Work } from './group-commit.js';
import type { IdAllocator } from './ids.js';
import { CommandLinks, MAX_LINK_ROUNDS, modelLinks } from './links.js';
import type { Metrics } from './metrics.js';

export interface ProcessorDeps extends EffectSinks {
  readonly now: () => number;
  readonly ids: IdAllocator;
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
}

export const DEFAULT_MAX_STATE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_HISTORY = 50_000;

/** Who asked: the outside (refusals are answered) or the engine itself (refusals become incidents). */
export type Origin = 'outside' | 'continuation';

export class Processor {
  private readonly definitions = new Map<string, DefinitionRow>();

  constructor(private readonly deps: ProcessorDeps) {}

  /** A deployed definition (deployed definitions never change, so they are cached). */
  async definition(tx: Tx, definitionKey: string): Promise<DefinitionRow> {
    let def = this.definitions.get(definitionKey);
    if (!def) {
      def = await tx.definitions.byKey(definitionKey);
      if (!def) throw new Error(`Expected definition ${definitionKey} in the store, but it is missing`);
      this.definitions.set(definitionKey, def);
    }
    return def;
  }

  /** The compiled model of a definition. */
  async model(tx: Tx, definitionKey: string): Promise<ProcessModel> {
    return (await this.definition(tx, definitionKey)).model;
  }

  /**
   * Runs `step` (one core call) with the decisions and forms of `def` loaded (see ./links.ts); one
   * that names a decision by an expression the loaded ones lack is run again once it is loaded.
   */
  private async withLinks(tx: Tx, def: DefinitionRow, step: (ctx: CoreContext) => Outcome): Promise<Outcome> {
    const links = new CommandLinks(def.deploymentId);
    await links.load(tx, modelLinks(def.model).refs);
    for (let round = 0; ; round++) {
      const out = step(this.ctx(links));
      if (out.ok || !out.needs) return out;
      if (round >= MAX_LINK_ROUNDS)
        throw new Error(
          `Expected one command to need at most ${MAX_LINK_ROUNDS} decisions named by expressions, but it needs more`,
        );
      await links.load(tx, out.needs);
    }
  }

  /** Whether commands on instances of `def` may change the state they are given in place (see ./links.ts). */
  private inPlace(def: DefinitionRow): boolean {
    return !modelLinks(def.model).dynamic;
  }

  newInstanceId(): string {
    return this.deps.ids.take();
  }

  /** What a FEEL evaluation outside a command needs (conditional start events): the clock, randomness, its budget. */
  feelEnv(): { now: number; random: () => number; feelBudget?: number } {
    return {
      now: this.deps.now(),
      random: Math.random,
      ...(this.deps.feelBudget ? { feelBudget: this.deps.feelBudget } : {}),
    };
  }

  /** The context of one command, for pure work outside a command (a migration's dry run). */
  context(): CoreContext {
    return this.ctx();
  }

  /** The context of one command: the clock, ids, its budgets with a CPU-time meter of its own, its links. */
  private ctx(links?: LinkedResources): CoreContext {
    return {
      ...(links ? { links } : {}),
      now: this.deps.now(),
      newInstanceId: () => this.newInstanceId(),
      ...(this.deps.budgets ? { budgets: this.deps.budgets } : {}),
      elapsedMs: cpuMeter(this.deps.budgets?.cpuMs ?? DEFAULT_BUDGETS.cpuMs),
      random: Math.random,
      ...(this.deps.feelBudget ? { feelBudget: this.deps.feelBudget } : {}),
    };
  }

  /**
   * Starts an instance of `def`. Throws ConflictError when `startKey` is held by an active
   * instance; an outside start that the core refuses throws its EngineError.
   */
  async start(
    w: Work,
    def: DefinitionRow,
    init: Omit<NewInstance, 'definitionKey' | 'processId' | 'version'>,
    opts: { startKey?: string | null; origin?: Origin } = {},
  ): Promise<InstanceState | undefined> {
    const model = await this.model(w.tx, def.key);
    const full: NewInstance = { ...init, processId: def.processId, version: def.version, definitionKey: def.key };
    const started = await this.withLinks(w.tx, def, (ctx) => startInstance(model, full, ctx));
    if (!started.ok) {
      if (opts.origin !== 'continuation') throw new EngineError(started.status, started.code, started.message);
      this.deps.logger?.warn({ processId: def.processId, code: started.code }, `start refused: ${started.message}`);
      await this.refuseChild(w, def, init, started.message);
      return undefined;
    }
    // a message catch the start already reached takes a buffered message (time to live) at once
    const out = await this.correlateBuffered(w, def, started);
    const limit = this.checkLimits(out.state, out.history.length, out.state.status !== 'active');
    if (!limit.ok) {
      if (opts.origin !== 'continuation') throw limit.error;
      this.deps.logger?.warn({ processId: def.processId, code: limit.error.code }, limit.error.message);
      await this.refuseChild(w, def, init, limit.error.message);
      return undefined;
    }
    await w.tx.instances.insert(out.state, limit.encoded, opts.startKey ?? null);
    w.after(() => this.deps.metrics?.instancesStarted.inc());
    await this.write(w, out.state, out, 'new');
    return out.state;
  }

  /**
   * A called instance that was refused (a limit, its variables) must not leave its caller waiting
   * for a child that does not exist: the call activity gets an incident, retried once fixed.
   */
  private async refuseChild(
    w: Work,
    def: DefinitionRow,
    init: Omit<NewInstance, 'definitionKey' | 'processId' | 'version'>,
    reason: string,
  ): Promise<void> {
    const parent = init.parent;
    if (!parent) return;
    const cmd: Command = {
      type: 'RaiseIncident',
      elementKey: parent.elementKey,
      incidentType: 'CALLED_INSTANCE_REFUSED',
      message: `Expected the called process ${def.processId} to start, but it was refused: ${reason}`,
    };
    const seq = await w.tx.inbox.add({
      target: parent.instanceId,
      kind: 'command',
      payload: { cmd },
      createdAt: this.deps.now(),
    });
    w.after(() => this.deps.inboxAdded([{ seq, target: parent.instanceId }]));
  }

  /**
   * Runs `cmd` on instance `instanceId`. Resolves to the new state, or undefined when a
   * continuation was stale (its element is gone) and was dropped, logged.
   */
  async command(w: Work, instanceId: string, cmd: Command, origin: Origin): Promise<InstanceState | undefined> {
    const loaded = await w.tx.instances.take(instanceId);
    if (!loaded) {
      if (origin === 'outside')
        throw new EngineError(404, 'INSTANCE_NOT_FOUND', `Expected instance ${instanceId} to exist, but it does not`);
      this.deps.logger?.info({ instanceId, command: cmd.type }, 'command for an instance that does not exist dropped');
      return undefined;
    }
    const def = await this.definition(w.tx, loaded.state.definitionKey);
    const before = loaded.state.status;
    let out = await this.withLinks(w.tx, def, (ctx) => execute(loaded.state, def.model, cmd, ctx, this.inPlace(def)));
    if (!out.ok) {
      if (origin === 'outside') throw new EngineError(out.status, out.code, out.message, [...(out.details ?? [])]);
      this.deps.logger?.info(
        { instanceId, command: cmd.type, code: out.code },
        `stale command dropped: ${out.message}`,
      );
      return undefined;
    }
    out = await this.correlateBuffered(w, def, out);
    const limit = this.checkLimits(out.state, out.history.length, out.state.status !== 'active');
    if (!limit.ok) {
      if (origin === 'outside') throw limit.error;
      return this.refuse(w, instanceId, cmd, limit.error);
    }
    await w.tx.instances.save(out.state, limit.encoded, loaded.revision);
    await this.write(w, out.state, out, before);
    return out.state;
  }

  /**
   * Runs a pure change of the instance other than a command (a migration, which needs two models):
   * `change` gets the loaded state (its to change) and the instance's model, and answers like the
   * core; a refusal throws its EngineError. Checked against the limits and written like a command.
   */
  async transform(
    w: Work,
    instanceId: string,
    change: (state: InstanceState, model: ProcessModel, ctx: CoreContext) => Outcome,
  ): Promise<InstanceState> {
    const loaded = await w.tx.instances.take(instanceId);
    if (!loaded)
      throw new EngineError(404, 'INSTANCE_NOT_FOUND', `Expected instance ${instanceId} to exist, but it does not`);
    const before = loaded.state.status;
    const out = change(loaded.state, await this.model(w.tx, loaded.state.definitionKey), this.ctx());
    if (!out.ok) throw new EngineError(out.status, out.code, out.message, [...(out.details ?? [])]);
    const limit = this.checkLimits(out.state, out.history.length, out.state.status !== 'active');
    if (!limit.ok) throw limit.error;
    await w.tx.instances.save(out.state, limit.encoded, loaded.revision);
    await this.write(w, out.state, out, before);
    return out.state;
  }

  /**
   * A continuation the instance cannot take (a limit): raise an incident on the element it is for,
   * keeping the command, so that retrying the incident applies it again. Raising the incident is
   * always allowed (like ending an instance).
   */
  private async refuse(w: Work, instanceId: string, cmd: Command, error: EngineError): Promise<InstanceState> {
    const loaded = (await w.tx.instances.take(instanceId))!;
    const model = await this.model(w.tx, loaded.state.definitionKey);
    const raise: Command = {
      type: 'RaiseIncident',
      elementKey: commandElementKey(loaded.state, cmd),
      incidentType: error.code,
      message: `${error.message} (the refused ${cmd.type} is kept with this incident; retrying it applies it again)`,
      retry: 'command',
    };
    const out = execute(loaded.state, model, raise, this.ctx(), true);
    if (!out.ok) throw new Error(`Expected RaiseIncident to apply, but: ${out.message}`);
    out.state.historyCount = (out.state.historyCount ?? 0) + out.history.length;
    await w.tx.instances.save(out.state, JSON.stringify(out.state), loaded.revision);
    this.deps.logger?.warn({ instanceId, command: cmd.type, code: error.code }, error.message);
    await this.write(w, out.state, out, out.state.status, cmd);
    return out.state;
  }

  /**
   * Message subscriptions the command opened take a message waiting in the buffer (time to live) at
   * once, in the same transaction: the correlation runs as a further command on this instance.
   */
  private async correlateBuffered(
    w: Work,
    def: DefinitionRow,
    first: Extract<Outcome, { ok: true }>,
  ): Promise<Extract<Outcome, { ok: true }>> {
    let out = first;
    let pending = opened(out.effects);
    const history: HistoryEvent[] = [...out.history];
    const effects: Effect[] = [...out.effects];
    for (let round = 0; pending.length && round < 100; round++) {
      const next: Extract<Effect, { type: 'OpenSubscription' }>[] = [];
      for (const sub of pending) {
        if (!(await w.tx.messages.lock(sub.name, sub.correlationKey ?? null)))
          throw new ConflictError(`message ${sub.name} is being correlated by another node`);
        const m = await w.tx.messages.takeBuffered(
          sub.name,
          sub.correlationKey ?? null,
          out.state.processId,
          this.deps.now(),
        );
        if (!m) continue;
        const cmd: Command = {
          type: 'CorrelateMessage',
          subscriptionKey: sub.key,
          variables: m.variables,
          name: m.name,
        };
        const state = out.state;
        const more = await this.withLinks(w.tx, def, (ctx) => execute(state, def.model, cmd, ctx, this.inPlace(def)));
        if (!more.ok) continue;
        out = more;
        history.push(...more.history);
        effects.push(...more.effects);
        next.push(...opened(more.effects));
      }
      pending = next;
    }
    return { ok: true, state: out.state, history, effects };
  }

  /**
   * The instance limits (Temporal's 2 MB payload and 50k-event history are the anchors): a command
   * that would exceed them changes nothing. Ending an instance is always allowed.
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
    const previous = state.historyCount;
    state.historyCount = count;
    const encoded = JSON.stringify(state);
    const maxBytes = this.deps.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES;
    if (encoded.length > maxBytes && !ending) {
      state.historyCount = previous;
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

  /** History, effects, and what the commit sets off (metrics, log lines). */
  private async write(
    w: Work,
    state: InstanceState,
    out: { history: readonly HistoryEvent[]; effects: readonly Effect[] },
    before: string,
    refused?: Command,
  ): Promise<void> {
    const now = this.deps.now();
    await w.tx.history.append(state.id, now, out.history);
    await applyEffects(w, state, out.effects, now, this.deps, refused);
    const after = state.status;
    const { metrics, logger } = this.deps;
    if (before !== after || logger) {
      const history = out.history;
      w.after(() => {
        if (before !== after && after === 'completed') metrics?.instancesCompleted.inc();
        if (before !== after && after === 'cancelled') metrics?.instancesCancelled.inc();
        if (logger) logHistory(logger, state, history);
      });
    }
  }
}

/** One JSON log line per history event: instance-level ones at info, element-level ones at debug. */
function logHistory(log: Logger, state: InstanceState, history: readonly HistoryEvent[]): void {
  const debug = log.isLevelEnabled('debug');
  for (const h of history) {
    if (h.type.startsWith('process-')) log.info({ instanceId: state.id, processId: state.processId }, h.type);
    else if (debug) log.debug({ instanceId: state.id, elementId: h.elementId, jobKey: h['jobKey'] }, h.type);
  }
}

function opened(effects: readonly Effect[]): Extract<Effect, { type: 'OpenSubscription' }>[] {
  return effects.filter(
    (e): e is Extract<Effect, { type: 'OpenSubscription' }> => e.type === 'OpenSubscription' && e.kind === 'message',
  );
}
