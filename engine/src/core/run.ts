/**
 * One execution of a command on one instance: the working copy of the state, the history and the
 * effects produced so far, and the queue of pending steps. Behaviors get a Run and nothing else.
 */
import type { ElementDef, Expr, ProcessModel } from '../model/types.js';
import { BudgetMeter, describeBudget, type BudgetMeterSource, type BudgetTrip } from './budgets.js';
import type { Effect, HistoryEvent } from './effects.js';
import type { HistoryExtra, HistoryType } from './history.js';
import type { FeelEnv } from '../feel/index.js';
import { evalExpr, type Evaluation } from './feel.js';
import type { LinkedResources } from './links.js';
import { assignOwn, getOwn, isRecord, setOwn } from './plain-data.js';
import { runActivation } from './lifecycle.js';
import type { ElementInstance, IncidentState, InstanceState } from './state.js';
import { ROOT_KEY } from './state.js';

/**
 * What the core needs from the outside world, passed in so that the core stays pure: the clock, ids,
 * the budgets (see ./budgets.ts) and the FEEL environment (`now` is what `now()` answers, `random`
 * feeds `random number()` and `uuid()`, `feelBudget` bounds the work of one FEEL evaluation).
 */
export interface CoreContext extends BudgetMeterSource, FeelEnv {
  /** Current time, epoch ms. */
  readonly now: number;
  /** A fresh id for a process instance started by this one (call activities). */
  newInstanceId(): string;
  /** Deployed decisions and forms, resolved by the runtime for this command (see ./links.ts). */
  readonly links?: LinkedResources;
}

/** Why an incident is raised: a message, or a failed evaluation (one that ran out of a budget raises BUDGET_EXCEEDED). */
export type IncidentCause = string | { readonly message: string; readonly budget?: BudgetTrip };

/**
 * One command's working copy. Its pending work is a queue of element instance keys whose activation
 * has not run yet: plain data, so that a run stopped by a budget can keep it in the state.
 */
export class Run {
  readonly history: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  readonly budget: BudgetMeter;
  private readonly queue: string[] = [];
  private head = 0;
  /** Set when a budget ran out: no further step runs in this command. */
  private stoppedBy: BudgetTrip | undefined;

  constructor(
    readonly state: InstanceState,
    readonly model: ProcessModel,
    readonly ctx: CoreContext,
  ) {
    this.budget = new BudgetMeter(ctx, Object.keys(state.elements).length);
  }

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

  /** Whether any element instance lives inside the scope `key` (stops at the first one found). */
  hasChildren(key: string): boolean {
    for (const k in this.state.elements) if (this.state.elements[k]!.parent === key) return true;
    return false;
  }

  /** Records a history event of `type` about `ei` (its id, type and key filled in) with the event's own fields. */
  record<T extends HistoryType>(
    type: T,
    ei: ElementInstance | undefined,
    ...[extra]: object extends HistoryExtra<T> ? [HistoryExtra<T>?] : [HistoryExtra<T>]
  ): void {
    const element = ei ? { elementId: ei.elementId, elementType: this.def(ei.elementId).type, elementKey: ei.key } : {};
    // the union is checked at the call (HistoryExtra); assembling it from parts needs this one assertion
    this.history.push({ type, ...element, ...extra } as HistoryEvent);
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  /** Adds a new element instance (a token) to the state. */
  addElement(ei: ElementInstance): void {
    this.state.elements[ei.key] = ei;
    this.budget.added();
  }

  /** Removes an element instance from the state. */
  removeElement(key: string): void {
    if (!this.state.elements[key]) return;
    delete this.state.elements[key];
    this.budget.removed();
  }

  /** Queues the activation of an element instance (its input mappings, boundary events and behavior). */
  enqueue(key: string): void {
    this.queue.push(key);
  }

  /** True once a budget ran out in this command. */
  get stopped(): boolean {
    return this.stoppedBy !== undefined;
  }

  /** Runs queued activations until none is left or a budget is used up (then the rest waits for {@link park}). */
  drain(): void {
    while (this.head < this.queue.length && !this.stoppedBy) {
      this.stoppedBy = this.budget.exhausted();
      if (this.stoppedBy) return;
      const ei = this.ei(this.queue[this.head++]!);
      if (!ei) continue;
      this.budget.step();
      runActivation(this, ei);
    }
    this.queue.length = this.head = 0;
  }

  /**
   * After a budget stopped the run: keeps the activations still to run with a BUDGET_EXCEEDED incident
   * on the process instance; retrying it runs them (see {@link IncidentState.pending}).
   */
  park(): void {
    const trip = this.stoppedBy;
    if (!trip) return;
    const pending = [...new Set(this.queue.slice(this.head))].filter((k) => this.state.elements[k]);
    this.queue.length = this.head = 0;
    const root = this.ei(ROOT_KEY);
    if (!pending.length || !root) return;
    const next = this.state.elements[pending[0]!]!.elementId;
    const message =
      `Expected the command to stay within its budget of ${describeBudget(trip)}, but it was used up with ` +
      `${pending.length} activation${pending.length > 1 ? 's' : ''} still to run (next: ${next}); ` +
      'retry this incident to continue from there';
    this.incident(root, 'BUDGET_EXCEEDED', { message, budget: trip }, 'continue', { pending });
  }

  // ---- variables ------------------------------------------------------------------------

  /** All variables visible from a scope: outer scopes first, inner ones shadowing them. */
  visible(key: string | null): Record<string, unknown> {
    return visibleVariables(this.state, key);
  }

  /** Sets a variable in the scope of element instance `key`; the name is data, whatever it is. */
  setLocal(key: string, name: string, value: unknown): void {
    setOwn((this.state.vars[key] ??= {}), name, value);
  }

  /** Sets a variable in the nearest scope (from `key` outwards) that has it, else in the root scope. */
  setPropagating(key: string, name: string, value: unknown): void {
    for (let k: string | null = key; k !== null; k = this.state.elements[k]?.parent ?? null) {
      const scope = this.state.vars[k];
      if (scope && Object.prototype.hasOwnProperty.call(scope, name)) {
        setOwn(scope, name, value);
        return;
      }
      // one activation inside an ad-hoc sub-process keeps what it writes (Camunda 8.8)
      if (this.state.elements[k]?.adHocInner) {
        this.setLocal(k, name, value);
        return;
      }
    }
    this.setLocal(ROOT_KEY, name, value);
  }

  /**
   * Writes a mapping's result to its target: a variable name, or a path (`order.total`) whose
   * variable or nested property is created when missing and updated when present. Every segment is
   * an own property (see ./plain-data.ts): `__proto__` or `constructor` in a path is a plain key,
   * never the object machinery. Callers check the depth first (`targetDepthProblem`, ./plain-data.ts).
   */
  assign(key: string, target: string, value: unknown, mode: 'local' | 'propagate'): void {
    const [top, ...path] = target.split('.') as [string, ...string[]];
    const write = (v: unknown) => (mode === 'local' ? this.setLocal(key, top, v) : this.setPropagating(key, top, v));
    const last = path.pop();
    if (last === undefined) {
      write(value);
      return;
    }
    const current = mode === 'local' ? getOwn(this.state.vars[key], top) : this.nearest(key, top);
    const root = isRecord(current) ? structuredClone(current) : {};
    let node = root;
    for (const part of path) {
      const next = getOwn(node, part);
      const child = isRecord(next) ? next : {};
      setOwn(node, part, child);
      node = child;
    }
    setOwn(node, last, value);
    write(root);
  }

  /** The value of a variable in the nearest scope (from `key` outwards) that has it. */
  private nearest(key: string, name: string): unknown {
    for (let k: string | null = key; k !== null; k = this.state.elements[k]?.parent ?? null) {
      const scope = this.state.vars[k];
      if (scope && Object.prototype.hasOwnProperty.call(scope, name)) return scope[name];
      if (this.state.elements[k]?.adHocInner) return undefined;
    }
    return getOwn(this.state.vars[ROOT_KEY], name);
  }

  mergePropagating(key: string, vars: Record<string, unknown> | undefined): void {
    if (!vars) return;
    for (const [k, v] of Object.entries(vars)) this.setPropagating(key, k, v);
  }

  evalIn(key: string | null, expr: Expr): Evaluation {
    return evalExpr(expr, this.visible(key), this.ctx);
  }

  // ---- incidents ------------------------------------------------------------------------

  /**
   * Raises an incident on an element instance. A cause that ran out of a budget (a FEEL evaluation
   * over its budget) raises `BUDGET_EXCEEDED` instead of `type`, with the same retry.
   */
  incident(
    ei: ElementInstance,
    type: string,
    cause: IncidentCause,
    retry: IncidentState['retry'],
    extra: { readonly jobKey?: string; readonly pending?: string[] } = {},
  ): void {
    const trip = typeof cause === 'string' ? undefined : cause.budget;
    if (trip) type = 'BUDGET_EXCEEDED';
    const message = typeof cause === 'string' ? cause : cause.message;
    const jobKey = extra.jobKey;
    const inc: IncidentState = {
      id: this.globalKey(),
      elementKey: ei.key,
      elementId: ei.elementId,
      type,
      message,
      createdAt: this.ctx.now,
      retry,
      ...(jobKey ? { jobKey } : {}),
      ...(extra.pending ? { pending: extra.pending } : {}),
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
    this.record('incident-created', ei, {
      incidentId: inc.id,
      incidentType: type,
      message,
      ...(trip ? { budget: trip.budget, limit: trip.limit } : {}),
    });
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
  for (let i = chain.length - 1; i >= 0; i--) assignOwn(out, state.vars[chain[i]!]);
  return out;
}
