/**
 * The budgets of the engine (core/budgets.ts) as configured: engine options first, then `BATON_*`
 * environment variables, then the defaults. A value that is not a whole number of at least 1 stops
 * the engine from opening, with a message naming it, rather than running with a budget nobody asked for.
 */
import { DEFAULT_BUDGETS, type Budgets } from '../core/budgets.js';

/** The environment variable of each budget. */
export const BUDGET_ENV: Readonly<Record<keyof Budgets, string>> = {
  steps: 'BATON_MAX_STEPS',
  newElements: 'BATON_MAX_NEW_ELEMENTS',
  tokens: 'BATON_MAX_TOKENS',
  callDepth: 'BATON_MAX_CALL_DEPTH',
  cpuMs: 'BATON_MAX_CPU_MS',
};

/** Thrown when a budget is configured with something other than a whole number ≥ 1. */
export class BudgetConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetConfigError';
  }
}

/** Every budget, from `given` (engine options), else the environment, else the default. */
export function resolveBudgets(
  given: Partial<Budgets> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Budgets {
  const out: Record<string, number> = {};
  for (const name of Object.keys(DEFAULT_BUDGETS) as (keyof Budgets)[]) {
    const option = given[name];
    const text = env[BUDGET_ENV[name]];
    if (option !== undefined) out[name] = checked(option, `the ${name} budget`);
    else if (text !== undefined && text.trim() !== '') out[name] = checked(Number(text), BUDGET_ENV[name], text);
    else out[name] = DEFAULT_BUDGETS[name];
  }
  return out as unknown as Budgets;
}

function checked(value: number, what: string, text: string = String(value)): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new BudgetConfigError(`Expected ${what} to be a whole number of at least 1, but got "${text}"`);
  return value;
}
