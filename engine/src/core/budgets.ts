/**
 * Budgets: how much work one command may do before the core stops it, so that no model can hold the
 * event loop (a process calling itself, a fan-out of a million paths, a gateway looping to itself).
 *
 * When a budget is used up between two steps, the run stops at that consistent point: what is left
 * (element instances whose activation has not run yet) is kept with a `BUDGET_EXCEEDED` incident,
 * and retrying that incident continues exactly there. Steps, new element instances, tokens and call
 * depth are counted, so they stop a run at the same place on every machine; CPU time is read from a
 * meter the runtime passes in (the core reads no clock).
 */

/** The limits one command runs under. */
export interface Budgets {
  /** Steps (element activations) one command may run. */
  readonly steps: number;
  /** Element instances one command may create. */
  readonly newElements: number;
  /** Element instances (tokens) one process instance may hold at once. */
  readonly tokens: number;
  /** How deep call activities may nest: an instance started from outside has depth 0, the one it calls 1. */
  readonly callDepth: number;
  /** Milliseconds of CPU time one command may take, read from {@link BudgetMeterSource.elapsedMs}. */
  readonly cpuMs: number;
}

/** Which budget: one of {@link Budgets}, or one named by the FEEL evaluator (e.g. its evaluation budget). */
export type BudgetName = keyof Budgets | (string & {});

/**
 * The defaults: on the reference machine (see docs/reliability.md) none of the counted budgets lets a
 * command run much longer than the 50 ms CPU time budget, and that budget plus writing the result
 * keeps one command under about 100 ms.
 */
export const DEFAULT_BUDGETS: Budgets = {
  steps: 10_000,
  newElements: 5_000,
  tokens: 10_000,
  callDepth: 32,
  cpuMs: 50,
};

/** A budget that ran out: its name and its limit. */
export interface BudgetTrip {
  readonly budget: BudgetName;
  readonly limit: number;
}

/** What the runtime passes in: the limits, and a meter of the time the current command has run. */
export interface BudgetMeterSource {
  readonly budgets?: Partial<Budgets>;
  /** Milliseconds of CPU time used since the command (with everything it runs in the same transaction) began. */
  elapsedMs?(): number;
}

/**
 * Thrown by an evaluator that ran out of its own budget: the FEEL layer (engine/src/feel) throws it
 * when an evaluation spends its work budget (`feelBudget`) or exceeds its nesting or result limit
 * (`feelNesting`, `feelResult`). The FEEL layer turns it into a failed evaluation carrying its
 * {@link BudgetTrip}, and {@link Run.incident} raises `BUDGET_EXCEEDED` for any failure that carries
 * one: the one way a spent FEEL budget becomes an incident.
 */
export class BudgetExceededError extends Error {
  constructor(
    readonly budget: BudgetName,
    readonly limit: number,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

const UNITS: Record<keyof Budgets, string> = {
  steps: 'steps',
  newElements: 'new element instances',
  tokens: 'tokens (element instances held at once)',
  callDepth: 'levels of nested calls',
  cpuMs: 'ms of CPU time',
};

/** "10000 steps", "50 ms of CPU time": a budget's limit with its unit, for messages. */
export function describeBudget(trip: BudgetTrip): string {
  const unit = (UNITS as Record<string, string>)[trip.budget];
  return unit ? `${trip.limit} ${unit}` : `${trip.limit} (${trip.budget})`;
}

/** Counts one command's work against its budgets. */
export class BudgetMeter {
  readonly limits: Budgets;
  private steps = 0;
  private created = 0;

  constructor(
    source: BudgetMeterSource,
    /** Element instances the instance holds when the command begins. */
    private live: number,
  ) {
    this.limits = { ...DEFAULT_BUDGETS, ...source.budgets };
    this.elapsed = source.elapsedMs;
  }

  private readonly elapsed: (() => number) | undefined;

  /** Element instances held now. */
  get tokens(): number {
    return this.live;
  }

  /** An activation is about to run. */
  step(): void {
    this.steps++;
  }

  /** A new element instance was added to the state. */
  added(): void {
    this.created++;
    this.live++;
  }

  /** An element instance left the state. */
  removed(): void {
    this.live--;
  }

  /** The first budget used up, checked before each step after the command's first one. */
  exhausted(): BudgetTrip | undefined {
    const l = this.limits;
    if (this.live > l.tokens) return { budget: 'tokens', limit: l.tokens };
    if (this.steps >= l.steps) return { budget: 'steps', limit: l.steps };
    if (this.created >= l.newElements) return { budget: 'newElements', limit: l.newElements };
    if (this.elapsed && this.elapsed() >= l.cpuMs) return { budget: 'cpuMs', limit: l.cpuMs };
    return undefined;
  }
}
