/**
 * Conversion functions: feelin's `string`, `number`, `date`, `time`, `duration`; Baton's
 * `date and time` (Camunda's `+01:00[Europe/Berlin]` form and the `(date and time, timezone)`
 * extension), `years and months duration` (whole months only, as documented), and Camunda's
 * `from json` and `to json`.
 */
import { FeelDate, FeelDateTime, FeelDuration } from 'feelin';
import { Temporal } from 'temporal-polyfill';
import { delegates, feelinBuiltin, isString, type BuiltinDef } from '../builtin.js';
import { toPlainJson } from '../values.js';

const feelinDateAndTime = feelinBuiltin('date and time');
/** `2018-04-29T09:30:00+02:00[Europe/Berlin]`: an offset followed by a zone id in brackets. */
const BRACKETED_ZONE = /^(.*T[^[]*?)(?:Z|[+-]\d\d:\d\d(?::\d\d)?)\[([^\]]+)\]$/;

/** The Temporal time zone of a FEEL zone (`UTC`, an offset like `+02:00`, or an id like `Europe/Berlin`). */
function temporalZone(zone: string | null): string {
  return zone === null ? 'UTC' : zone;
}

/** `dateTime` moved to `zone`; a date and time without zone is read as UTC. Null for an unknown zone. */
function inZone(dateTime: unknown, zone: string): FeelDateTime | null {
  if (!(dateTime instanceof FeelDateTime)) return null;
  const target = zone === 'Z' ? 'UTC' : zone;
  try {
    const zoned = dateTime.unwrap().toZonedDateTime(temporalZone(dateTime.zone)).withTimeZone(target);
    return new FeelDateTime(zoned.toPlainDateTime(), target);
  } catch {
    return null;
  }
}

function dateAndTime(date: unknown, time: unknown, from: unknown, timezone: unknown): unknown {
  const text = isString(from) ? from : isString(date) ? date : undefined;
  if (text !== undefined) {
    const m = BRACKETED_ZONE.exec(text);
    return feelinDateAndTime(m ? `${m[1]}@${m[2]}` : text);
  }
  const zone = isString(timezone) ? timezone : isString(time) ? time : undefined;
  if (zone !== undefined) return inZone(date, zone);
  return feelinDateAndTime(date, time);
}

function calendarDate(v: unknown): Temporal.PlainDate | null {
  if (v instanceof FeelDate) return v.unwrap();
  if (v instanceof FeelDateTime) return v.unwrap().toPlainDate();
  return null;
}

function yearsAndMonths(from: unknown, to: unknown): FeelDuration | null {
  const a = calendarDate(from);
  const b = calendarDate(to);
  if (!a || !b) return null;
  const d = a.until(b, { largestUnit: 'years', smallestUnit: 'months', roundingMode: 'trunc' });
  return new FeelDuration(Temporal.Duration.from({ years: d.years, months: d.months }), true);
}

function fromJson(value: unknown): unknown {
  if (!isString(value)) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

export const CONVERSION: Record<string, BuiltinDef> = {
  ...delegates({ string: ['from'] }, 'deep'),
  ...delegates({
    number: ['from', 'grouping separator', 'decimal separator'],
    date: ['year', 'month', 'day', 'from'],
    time: ['hour', 'minute', 'second', 'offset', 'from'],
    duration: ['from'],
  }),
  'date and time': {
    params: ['date', 'time', 'from', 'timezone'],
    arities: [1, 2],
    fn: (_c, [date, time, from, timezone]) => dateAndTime(date, time, from, timezone),
  },
  'years and months duration': { params: ['from', 'to'], arities: [2], fn: (_c, [a, b]) => yearsAndMonths(a, b) },
  'from json': { params: ['value'], fn: (_c, [value]) => fromJson(value) },
  'to json': { params: ['value'], cost: 'deep', fn: (_c, [value]) => JSON.stringify(toPlainJson(value)) },
};
