/**
 * One execution of a command on one instance: the working copy of the state, the history and the
 * effects produced so far, and the queue of pending steps. Behaviors get a Run and nothing else.
 */
import type { ElementDef, Expr, ProcessModel } from '../model/types.js';
import type { Effect, HistoryEvent } from './effects.js';
import type { FeelEnv } from '../feel/index.js';
import { evalExpr, type Evaluation } from './feel.js';
import type { ElementInstance, IncidentState, InstanceState } from './state.js';
import { ROOT_KEY } from './state.js';

/**
 * What the core needs from the outside world, passed in so that the core stays pure. It is also the
 * FEEL environment: `now` is what `now()` answers, `random` feeds `random number()` and `uuid()`,
 * `feelBudget` bounds the work of one FEEL evaluation.
 */
export interface CoreContext extends FeelEnv {
  /** Current time, epoch ms. */
  readonly now: number;
  /** A fresh id for a process instance started by this one (call activities). */
  newInstanceId(): string;
  /** Steps after which a run that reaches no wait state is stopped with an incident. */
  readonly maxSteps?: number;
}

/** A failure a behavior hands back: becomes an incident on the element. */
export class Run {
  readonly history: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  private readonly queue: Array<() => void> = [];
  private steps = 0;

  constructor(
    readonly state: InstanceState,
    readonly model: ProcessModel,
    readonly ctx: CoreContext,
  ) {}

  /** A key unique inside this instance. */
  localKey(): string {
    return String(this.state.nextKey++);
  }

  /** A key unique across instances (jobs, timers, subscriptions, user tasks, incidents). */
  globalKey(): string {
    return `${this.state.id}-${this.localKey()}`;
  }

  def(elementId: string): ElementDef {
    if (elementId === this.model.id) return this.model.root;
    const el = this.model.elements[elementId];
    if (!el) throw new Error(`Expected element ${elementId} in process ${this.model.id}, but it is not there`);
    return el;
  }

  ei(key: string): ElementInstance | undefined {
    return this.state.elements[key];
  }

  children(key: string): ElementInstance[] {
    const out: ElementInstance[] = [];
    for (const ei of Object.values(this.state.elements)) if (ei.parent === key) out.push(ei);
    return out;
  }

  record(type: string, ei?: ElementInstance, extra: Record<string, unknown> = {}): void {
    if (!ei) {
      this.history.push({ type, ...extra });
      return;
    }
    const el = this.def(ei.elementId);
    this.history.push({ type, elementId: ei.elementId, elementType: el.type, elementKey: ei.key, ...extra });
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  enqueue(step: () => void): void {
    this.queue.push(step);
  }

  /** Runs queued steps until none is left or the step budget is spent (then an incident stops the loop). */
  drain(): void {
    const max = this.ctx.maxSteps ?? 100_000;
    for (let step = this.queue.shift(); step; step = this.queue.shift()) {
      if (++this.steps > max) {
        this.queue.length = 0;
        const root = this.ei(ROOT_KEY);
        if (root)
          this.incident(
            root,
            'STEP_LIMIT',
            `Expected the instance to reach a wait state within ${max} steps, but it did not (an endless loop?)`,
            'activate',
          );
        return;
      }
      step();
    }
  }

  // ---- variables ------------------------------------------------------------------------

  /** All variables visible from a scope: outer scopes first, inner ones shadowing them. */
  visible(key: string | null): Record<string, unknown> {
    return visibleVariables(this.state, key);
  }

  setLocal(key: string, name: string, value: unknown): void {
    (this.state.vars[key] ??= {})[name] = value;
  }

  /** Sets a variable in the nearest scope (from `key` outwards) that has it, else in the root scope. */
  setPropagating(key: string, name: string, value: unknown): void {
    for (let k: string | null = key; k !== null; k = this.state.elements[k]?.parent ?? null) {
      const scope = this.state.vars[k];
      if (scope && Object.prototype.hasOwnProperty.call(scope, name)) {
        scope[name] = value;
        return;
      }
    }
    this.setLocal(ROOT_KEY, name, value);
  }

  /**
   * Writes a mapping's result to its target: a variable name, or a path (`order.total`) whose
   * variable or nested property is created when missing and updated when present.
   */
  assign(key: string, target: string, value: unknown, mode: 'local' | 'propagate'): void {
    const dot = target.indexOf('.');
    if (dot < 0) {
      if (mode === 'local') this.setLocal(key, target, value);
      else this.setPropagating(key, target, value);
      return;
    }
    const top = target.slice(0, dot);
    const current = mode === 'local' ? this.state.vars[key]?.[top] : this.nearest(key, top);
    const root: Record<string, unknown> =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? structuredClone(current as Record<string, unknown>)
        : {};
    let node = root;
    const path = target.slice(dot + 1).split('.');
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = node[part] =
        next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    }
    node[path[path.length - 1]!] = value;
    if (mode === 'local') this.setLocal(key, top, root);
    else this.setPropagating(key, top, root);
  }

  /** The value of a variable in the nearest scope (from `key` outwards) that has it. */
  private nearest(key: string, name: string): unknown {
    for (let k: string | null = key; k !== null; k = this.state.elements[k]?.parent ?? null) {
      const scope = this.state.vars[k];
      if (scope && Object.prototype.hasOwnProperty.call(scope, name)) return scope[name];
    }
    return this.state.vars[ROOT_KEY]?.[name];
  }

  mergePropagating(key: string, vars: Record<string, unknown> | undefined): void {
    if (!vars) return;
    for (const [k, v] of Object.entries(vars)) this.setPropagating(key, k, v);
  }

  evalIn(key: string | null, expr: Expr): Evaluation {
    return evalExpr(expr, this.visible(key), this.ctx);
  }

  // ---- incidents ------------------------------------------------------------------------

  incident(ei: ElementInstance, type: string, message: string, retry: IncidentState['retry'], jobKey?: string): void {
    const inc: IncidentState = {
      id: this.globalKey(),
      elementKey: ei.key,
      elementId: ei.elementId,
      type,
      message,
      createdAt: this.ctx.now,
      retry,
      ...(jobKey ? { jobKey } : {}),
    };
    this.state.incidents[inc.id] = inc;
    this.effect({
      type: 'CreateIncident',
      id: inc.id,
      elementKey: ei.key,
      elementId: ei.elementId,
      incidentType: type,
      message,
      ...(jobKey ? { jobKey } : {}),
    });
    this.record('incident-created', ei, { incidentId: inc.id, incidentType: type, message });
  }

  resolveIncidentsOf(elementKey: string): void {
    for (const inc of Object.values(this.state.incidents)) {
      if (inc.elementKey !== elementKey) continue;
      delete this.state.incidents[inc.id];
      this.effect({ type: 'ResolveIncident', id: inc.id });
      this.history.push({ type: 'incident-resolved', elementId: inc.elementId, incidentId: inc.id });
    }
  }
}

/** All variables visible from an element instance's scope: outer scopes first, inner ones shadowing them. */
export function visibleVariables(state: InstanceState, key: string | null): Record<string, unknown> {
  const chain: string[] = [];
  for (let k = key; k !== null; k = state.elements[k]?.parent ?? null) chain.push(k);
  const out: Record<string, unknown> = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, state.vars[chain[i]!]);
  return out;
}
