/**
 * Deploy-time checks of literal (non-FEEL) timer values, so a typo fails the deployment instead
 * of an instance later. Uses the same parsers as the runtime, so both agree on what is valid.
 */
import { parseCycle, parseDateMs, parseDurationMs } from '../core/timer-spec.js';
import type { TimerKind } from './types.js';

/**
 * Checks a literal timer value. Returns what was expected (for an "Expected X, but Y" message)
 * when the value is malformed, or null when the runtime can schedule it.
 */
export function checkTimerLiteral(kind: TimerKind, value: string): string | null {
  switch (kind) {
    case 'duration':
      return parseDurationMs(value) === undefined ? 'an ISO 8601 duration such as PT5S' : null;
    case 'date':
      return parseDateMs(value) === undefined ? 'an ISO 8601 date-time such as 2026-12-01T10:00:00Z' : null;
    case 'cycle':
      return parseCycle(value) === undefined
        ? 'an ISO 8601 repetition such as R3/PT10S or R2/2026-12-01T10:00:00Z/PT1H, or a 5- or 6-field cron expression'
        : null;
  }
}
