/**
 * Temporal functions: `now()` and `today()` read the evaluation's clock (the command's time, in UTC),
 * never the process clock; feelin's calendar functions; Camunda's `last day of month`.
 */
import { FeelDate, FeelDateTime } from 'feelin';
import { delegates, type BuiltinDef } from '../builtin.js';
import { dateTimeAt } from '../values.js';

function lastDayOfMonth(v: unknown): FeelDate | null {
  const date = v instanceof FeelDate ? v.unwrap() : v instanceof FeelDateTime ? v.unwrap().toPlainDate() : null;
  return date ? new FeelDate(date.with({ day: date.daysInMonth })) : null;
}

export const TEMPORAL: Record<string, BuiltinDef> = {
  now: { params: [], cost: 'const', fn: ({ env }) => dateTimeAt(env.now) },
  today: { params: [], cost: 'const', fn: ({ env }) => new FeelDate(dateTimeAt(env.now).unwrap().toPlainDate()) },
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
