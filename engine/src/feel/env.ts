/**
 * What one FEEL evaluation gets from outside, and the bounded amount of work it may do.
 *
 * The core is pure, so `now()`, `today()`, `uuid()` and `random number()` read the clock and the
 * randomness handed in by the runtime (through the core's context), never the process's own.
 */

/** The outside world of one evaluation. */
export interface FeelEnv {
  /** Current time, epoch ms: what `now()` and `today()` answer. */
  readonly now: number;
  /** A uniform random number in [0, 1): the source of `random number()` and `uuid()`. */
  readonly random?: () => number;
  /** Work units one evaluation may spend (default {@link DEFAULT_FEEL_BUDGET}). */
  readonly feelBudget?: number;
}

/**
 * Work units one evaluation may spend by default: one unit per iteration of `for`, `some` and
 * `every`, per element scanned by a filter or a path, per element of a list a function reads or
 * builds, per kilobyte of string, per call of a user-defined function. 100,000 units take about
 * 50–80 ms of feelin's time, so one expression cannot hold the event loop much longer.
 */
export const DEFAULT_FEEL_BUDGET = 100_000;

/** Thrown inside an evaluation when its budget is spent; the evaluation fails with `kind: 'budget'`. */
export class FeelBudgetExceeded extends Error {
  constructor(
    readonly limit: number,
    readonly what: string,
  ) {
    super(`Expected the FEEL evaluation to stay within its budget of ${limit} work units, but ${what}`);
    this.name = 'FeelBudgetExceeded';
  }
}

/** Thrown inside an evaluation for a failure Camunda reports as an error (assert, an unknown function). */
export class FeelEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeelEvaluationError';
  }
}

/** The work counter of one evaluation. */
export class FeelBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Units left before the budget is spent. */
  get left(): number {
    return this.limit - this.used;
  }

  /** Spends `units` on `what` (e.g. "an iteration over 3,000,000 elements"); throws when over budget. */
  charge(units: number, what: string): void {
    this.used += units;
    if (this.used > this.limit) throw new FeelBudgetExceeded(this.limit, `it needed more for ${what}`);
  }
}
