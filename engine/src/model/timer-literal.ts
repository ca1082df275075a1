/**
 * Deploy-time checks of timer values, so a typo or a runaway cycle fails the deployment instead of
 * an instance later. Uses the parser and rules the core and the runtime use, so all agree on what
 * is valid.
 */
import { evalExpr } from '../core/feel.js';
import { checkTimer, timerText } from '../core/timer-plan.js';
import type { Expr, TimerKind } from './types.js';

/**
 * Checks a literal timer value. Returns what was expected (for an "Expected X, but Y" message) when
 * the value is malformed or cycles faster than `minCycleMs`, or null when the runtime can schedule it.
 */
export function checkTimerLiteral(kind: TimerKind, value: string, minCycleMs: number): string | null {
  const checked = checkTimer(kind, value, minCycleMs);
  return checked.ok ? null : checked.expected;
}

/**
 * The clock `now()` answers while a start timer expression is checked (the compiler reads no clock).
 * Only the value's form and cycle are checked here; the runtime evaluates the expression again, with
 * the deployment's time, when it registers the timer.
 */
const CHECK_CLOCK = Date.UTC(2001, 1, 1);

/**
 * Checks the value of a timer start event of a process, which Camunda 8 evaluates at deployment:
 * a FEEL expression is evaluated without variables, as the runtime does when it registers the timer.
 * Returns the problem's expected text and the value found, or null.
 */
export function checkStartTimer(
  kind: TimerKind,
  value: Expr,
  minCycleMs: number,
): { expected: string; found: string } | null {
  const evaluated = evalExpr(value, {}, { now: CHECK_CLOCK });
  if (!evaluated.ok || evaluated.value === null)
    return { expected: 'an expression that evaluates to a timer value without variables', found: `=${value.src}` };
  const text = timerText(evaluated.value);
  const expected = checkTimerLiteral(kind, text, minCycleMs);
  return expected === null ? null : { expected, found: text };
}
