/**
 * Temporal functions: `now()` and `today()` read the evaluation's clock (the command's time, in UTC),
 * never the process clock; feelin's calendar functions; Camunda's `last day of month`.
 */
import { FeelDate, FeelDateTime } from 'feelin';
import { delegates, type BuiltinDef, type CallEnv } from '../builtin.js';
import { FeelEvaluationError } from '../env.js';
import { dateTimeAt } from '../values.js';

/** The evaluation's clock; an evaluation without one (no `now` given) fails naming the function. */
function clock({ env }: CallEnv, fn: string): number {
  if (env.now === undefined) throw new FeelEvaluationError(`Expected a clock for ${fn}(), but none was given`);
  return env.now;
}

function lastDayOfMonth(v: unknown): FeelDate | null {
  const date = v instanceof FeelDate ? v.unwrap() : v instanceof FeelDateTime ? v.unwrap().toPlainDate() : null;
  return date ? new FeelDate(date.with({ day: date.daysInMonth })) : null;
}

export const TEMPORAL: Record<string, BuiltinDef> = {
  now: { params: [], cost: 'const', fn: (c) => dateTimeAt(clock(c, 'now')) },
  today: { params: [], cost: 'const', fn: (c) => new FeelDate(dateTimeAt(clock(c, 'today')).unwrap().toPlainDate()) },
  ...delegates(
    {
      'day of week': ['date'],
      'day of year': ['date'],
      'week of year': ['date'],
      'month of year': ['date'],
    },
    'const',
  ),
  'last day of month': { params: ['date'], cost: 'const', fn: (_c, [date]) => lastDayOfMonth(date) },
};
