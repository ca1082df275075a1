/**
 * FEEL values at the edges of an evaluation: their size (what the budget charges) and their JSON
 * form (what variables hold). Temporal values become ISO-8601 strings, as Camunda stores them.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import { Temporal } from 'temporal-polyfill';
import { MAX_VARIABLE_DEPTH, setOwn, ValueTooDeepError } from '../core/plain-data.js';
import { FEEL_RESULT_LIMIT, feelBudgetExceeded, FeelEvaluationError } from './env.js';

/** Characters of a string that cost one work unit. */
export const CHARS_PER_UNIT = 1024;

/** True for a FEEL context: a plain object that is no temporal, range or function value. */
export function isContext(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return !(isTemporal(value) || isRange(value) || isFunction(value));
}

/** True for a FEEL date, time, date and time or duration. */
export function isTemporal(value: unknown): value is FeelDate | FeelTime | FeelDateTime | FeelDuration {
  return (
    value instanceof FeelDate ||
    value instanceof FeelTime ||
    value instanceof FeelDateTime ||
    value instanceof FeelDuration
  );
}

/**
 * The work units a value stands for: list elements and context entries count one each, strings one
 * per {@link CHARS_PER_UNIT} characters. `deep` counts nested lists and contexts too. Counting stops
 * above `cap`, so sizing a huge (or self-containing) value costs at most `cap` steps.
 */
export function sizeOf(value: unknown, cap: number, deep: boolean): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= cap) {
    const v = stack.pop();
    if (typeof v === 'string') total += Math.floor(v.length / CHARS_PER_UNIT);
    else if (Array.isArray(v) || isContext(v)) {
      const items: unknown[] = Array.isArray(v) ? v : Object.values(v);
      total += items.length;
      if (deep) for (let i = 0; i < items.length && stack.length <= cap; i++) stack.push(items[i]);
    }
  }
  return total;
}

/** The ISO-8601 form Camunda gives a temporal value (a named zone as `+01:00[Europe/Berlin]`). */
export function temporalToString(value: FeelDate | FeelTime | FeelDateTime | FeelDuration): string {
  if (value instanceof FeelDateTime && value.zone !== null && value.zone !== 'UTC' && !/^[+-]/.test(value.zone)) {
    try {
      const zoned = value.unwrap().toZonedDateTime(value.zone);
      return `${zoned.toPlainDateTime().toString()}${zoned.offset}[${value.zone}]`;
    } catch {
      return value.iso;
    }
  }
  return value.iso;
}

/** A date and time at the instant `epochMs`, in UTC. */
export function dateTimeAt(epochMs: number): FeelDateTime {
  const plain = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO('UTC').toPlainDateTime();
  return new FeelDateTime(plain, 'UTC');
}

/**
 * Turns a FEEL result into plain JSON (temporal values become strings, functions null). At most
 * `cap` work units are converted; a bigger result fails with a budget error, a result that contains
 * itself with an evaluation error, one nested deeper than {@link MAX_VARIABLE_DEPTH} levels of lists
 * and contexts with a {@link ValueTooDeepError} (no variable may be too deep to store). Context keys
 * become own properties whatever their name (`__proto__` included).
 */
export function toPlainJson(value: unknown, cap = Number.MAX_SAFE_INTEGER): unknown {
  // the common case, a scalar, without setting up the walk
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null || value === undefined) return value ?? null;
  if (typeof value === 'string' && 1 + Math.floor(value.length / CHARS_PER_UNIT) <= cap) return value;
  let units = 0;
  const open = new Set<unknown>();
  const convert = (v: unknown, level: number): unknown => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'string') {
      units += 1 + Math.floor(v.length / CHARS_PER_UNIT);
      if (units > cap) throw feelBudgetExceeded(cap, 'its result is larger than that', FEEL_RESULT_LIMIT);
      return v;
    }
    if (typeof v === 'boolean') return v;
    if (typeof v !== 'object' || isFunction(v)) return null;
    if (isTemporal(v)) return temporalToString(v);
    if (++units > cap) throw feelBudgetExceeded(cap, 'its result is larger than that', FEEL_RESULT_LIMIT);
    if (open.has(v)) throw new FeelEvaluationError('Expected a FEEL result without cycles, but it contains itself');
    if (level >= MAX_VARIABLE_DEPTH) throw new ValueTooDeepError();
    open.add(v);
    const out = Array.isArray(v)
      ? v.map((x) => convert(x, level + 1))
      : convertEntries(v as Record<string, unknown>, (x) => convert(x, level + 1));
    open.delete(v);
    return out;
  };
  return convert(value, 0);
}

function convertEntries(v: Record<string, unknown>, convert: (x: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k, convert(x));
  return out;
}
