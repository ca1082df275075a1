/**
 * Cron expressions with Camunda 8's syntax (Spring's `CronExpression`): six fields — second, minute,
 * hour, day of month, month, day of week — in UTC, with day of month and day of week both having to
 * match. Evaluated by croner; this module only maps Spring's spelling onto croner's options.
 */
import { Cron } from 'croner';

/** A parsed cron expression. */
export interface CronSchedule {
  /** The expression as written. */
  readonly expression: string;
  /** The first matching second strictly after `afterMs`, or undefined when none comes (before year 3000). */
  next(afterMs: number): number | undefined;
}

export const EXPECTED_CRON =
  'a cron expression with six fields (second minute hour day-of-month month day-of-week) such as 0 0 9-17 * * MON-FRI';

/** Spring's macros, as six-field expressions. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

/** Spring's "n-th day before the last" (`L-3`), which croner expresses as `L` shifted by a day offset. */
const LAST_MINUS = /^L-(\d{1,2})$/i;
const CACHE_LIMIT = 500;
const cache = new Map<string, CronSchedule | string>();

/**
 * Parses a cron expression: Spring's six fields with names (`MON-FRI`, `JAN`), ranges, lists,
 * steps (`*\/15`, `0/5`), `?`, `L` and `L-n` (last day, n days before it), `nW` and `LW` (nearest
 * weekday), `5L`/`FRIL` (last Friday), `FRI#2` (second Friday), and the macros `@yearly`,
 * `@monthly`, `@weekly`, `@daily`, `@hourly`. Baton also reads a five-field expression (no seconds)
 * as firing at second 0. An expression that never matches is refused.
 */
export function parseCron(text: string): { ok: true; value: CronSchedule } | { ok: false; expected: string } {
  const key = text.trim();
  let found = cache.get(key);
  if (found === undefined) {
    found = build(key);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, found);
  }
  return typeof found === 'string' ? { ok: false, expected: found } : { ok: true, value: found };
}

function build(expression: string): CronSchedule | string {
  const fields = (MACROS[expression.toLowerCase()] ?? expression).split(/\s+/);
  if (fields.length === 5) fields.unshift('0');
  if (fields.length !== 6) return EXPECTED_CRON;
  let dayOffset = 0;
  const lastMinus = LAST_MINUS.exec(fields[3]!);
  if (lastMinus) {
    if (fields[5] !== '*' && fields[5] !== '?')
      return `${EXPECTED_CRON} (Baton supports L-n in the day of month only with * or ? as day of week)`;
    dayOffset = -Number(lastMinus[1]);
    fields[3] = 'L';
  }
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), { mode: '6-part', domAndDow: true, sloppyRanges: true, utcOffset: 0, dayOffset });
  } catch {
    return EXPECTED_CRON;
  }
  const next = (afterMs: number): number | undefined => cron.nextRun(new Date(afterMs))?.getTime();
  if (next(0) === undefined) return `${EXPECTED_CRON} that matches some date (this one never does)`;
  return { expression, next };
}
