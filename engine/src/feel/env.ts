/**
 * What one FEEL evaluation gets from outside, and the bounded amount of work it may do.
 *
 * The core is pure, so `now()`, `today()`, `uuid()` and `random number()` read the clock and the
 * randomness handed in by the runtime (through the core's context), never the process's own.
 */
import { BudgetExceededError } from '../core/budgets.js';

/** The outside world of one evaluation. */
export interface FeelEnv {
  /**
   * Current time, epoch ms: what `now()` and `today()` answer. Without it they fail the evaluation
   * (the DMN evaluator called without a clock); the core always passes the command's time.
   */
  readonly now?: number;
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

/** The name of the FEEL work budget in a budget trip (`BudgetTrip.budget`), as in `BATON_FEEL_BUDGET`. */
export const FEEL_BUDGET = 'feelBudget';
/** The name of the limit on the size of a FEEL result (work units of its JSON form) in a budget trip. */
export const FEEL_RESULT_LIMIT = 'feelResult';
/** The name of the limit on FEEL nesting (of the source, or of the interpreter's stack) in a budget trip. */
export const FEEL_NESTING_LIMIT = 'feelNesting';

/**
 * The failure of an evaluation whose budget is spent: the core's {@link BudgetExceededError} (every
 * evaluator signals a spent budget with it), naming the FEEL budget and what exceeded it.
 */
export function feelBudgetExceeded(limit: number, what: string, budget: string = FEEL_BUDGET): BudgetExceededError {
  return new BudgetExceededError(
    budget,
    limit,
    `Expected the FEEL evaluation to stay within its budget of ${limit} work units, but ${what}`,
  );
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
    if (this.used > this.limit) throw feelBudgetExceeded(this.limit, `it needed more for ${what}`);
  }
}
