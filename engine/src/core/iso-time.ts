/**
 * ISO 8601 durations and date-times as Camunda 8 reads them, through Temporal: a duration adds its
 * years, months, weeks and days on the calendar (Jan 31 + `P1M` = Feb 28) and its hours, minutes
 * and seconds as exact time; a date-time must say where it is (an offset or a zone), never the
 * server's time zone. Pure: every instant comes in as an argument.
 */
import { Temporal } from 'temporal-polyfill';

/** A point in time and the zone its calendar arithmetic happens in (`UTC`, `+02:00`, `Europe/Berlin`). */
export interface IsoDateTime {
  readonly epochMs: number;
  readonly zone: string;
}

/** Parsed, or what was expected instead (for an "Expected X, but found Y" message). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly expected: string };

/** Longest duration accepted: 100,000 years, so that any due time stays inside Temporal's range. */
const MAX_DURATION_MS = 100_000 * 365.25 * 86_400_000;
/** The last instant Temporal can represent; due times never lie beyond it. */
const MAX_EPOCH_MS = 8.64e15;
const CACHE_LIMIT = 1000;
const durations = new Map<string, Temporal.Duration | null>();

const EXPECTED_DURATION = 'an ISO 8601 duration such as PT5S, PT0.3S, P1DT2H or P1M';
export const EXPECTED_DATE_TIME =
  'an ISO 8601 date-time with an offset or a zone, such as 2026-12-01T10:00:00Z, 2026-12-01T10:00:00+01:00 or 2026-12-01T10:00:00+01:00[Europe/Berlin]';

/**
 * Parses an ISO 8601 duration (`PnYnMnWnDTnHnMnS`, fractions on the smallest time unit, an optional
 * sign). Memoised: timers parse the same few strings over and over.
 */
export function parseIsoDuration(text: string): Parsed<Temporal.Duration> {
  const key = text.trim();
  let duration = durations.get(key);
  if (duration === undefined) {
    duration = readDuration(key);
    if (durations.size >= CACHE_LIMIT) durations.clear();
    durations.set(key, duration);
  }
  return duration ? { ok: true, value: duration } : { ok: false, expected: EXPECTED_DURATION };
}

function readDuration(text: string): Temporal.Duration | null {
  let duration: Temporal.Duration;
  try {
    duration = Temporal.Duration.from(text);
  } catch {
    return null;
  }
  const length = Math.abs(addIsoDuration(0, duration.abs()));
  return length <= MAX_DURATION_MS ? duration : null;
}

/** True when the duration has calendar units (years, months, weeks or days), whose length depends on the date. */
export function isCalendarDuration(duration: Temporal.Duration): boolean {
  return duration.years !== 0 || duration.months !== 0 || duration.weeks !== 0 || duration.days !== 0;
}

/**
 * `fromMs` plus `duration`: calendar units on the calendar of `zone` (UTC unless a timer's start
 * date named another), then the exact part. Clamped to Temporal's last instant.
 */
export function addIsoDuration(fromMs: number, duration: Temporal.Duration, zone = 'UTC'): number {
  if (!isCalendarDuration(duration)) return fromMs + Math.trunc(duration.total('milliseconds'));
  try {
    return Temporal.Instant.fromEpochMilliseconds(fromMs).toZonedDateTimeISO(zone).add(duration).epochMilliseconds;
  } catch {
    return duration.sign < 0 ? -MAX_EPOCH_MS : MAX_EPOCH_MS;
  }
}

/** When `text` (a duration) ends if it starts at `fromMs`; what was expected when it is no duration. */
export function durationEnd(text: string, fromMs: number): Parsed<number> {
  const duration = parseIsoDuration(text);
  return duration.ok ? { ok: true, value: addIsoDuration(fromMs, duration.value) } : duration;
}

/** An offset (Z, ±hh, ±hhmm, ±hh:mm) at the end of the date-time, before an optional bracketed zone. */
const OFFSET = /([zZ]|[+-]\d{2}(?::?\d{2})?)(?:\[!?([^\]=]+)\])?$/;
/** FEEL's zoned date-time: `2026-12-01T10:00:00@Europe/Berlin`. */
const FEEL_ZONED = /^([^@]+)@([A-Za-z_+\-/0-9]+)$/;

/**
 * Parses an ISO 8601 date-time that says where it is: an offset (`Z`, `+01:00`), optionally with a
 * zone id (`+01:00[Europe/Berlin]`, as Camunda 8 and Java's ZonedDateTime), or FEEL's zoned form
 * (`…@Europe/Berlin`). A local date-time without either is refused, as Camunda 8 refuses it: reading
 * it in the server's time zone would make one model mean different instants on different servers.
 */
export function parseIsoDateTime(text: string): Parsed<IsoDateTime> {
  const t = text.trim();
  const feel = FEEL_ZONED.exec(t);
  if (feel) return zoned(`${feel[1]}[${feel[2]}]`, feel[2]!);
  const offset = OFFSET.exec(t);
  if (!offset) return { ok: false, expected: EXPECTED_DATE_TIME };
  if (offset[2]) return zoned(t, offset[2]);
  try {
    const epochMs = Temporal.Instant.from(t).epochMilliseconds;
    return { ok: true, value: { epochMs, zone: zoneOfOffset(offset[1]!) } };
  } catch {
    return { ok: false, expected: EXPECTED_DATE_TIME };
  }
}

function zoned(text: string, zone: string): Parsed<IsoDateTime> {
  try {
    const at = Temporal.ZonedDateTime.from(text, { offset: 'use', disambiguation: 'compatible' });
    return { ok: true, value: { epochMs: at.epochMilliseconds, zone: at.timeZoneId } };
  } catch {
    return { ok: false, expected: `${EXPECTED_DATE_TIME} (zone ${zone} is unknown or does not fit)` };
  }
}

function zoneOfOffset(offset: string): string {
  if (offset === 'Z' || offset === 'z') return 'UTC';
  const digits = offset.replace(':', '');
  return `${digits.slice(0, 3)}:${digits.slice(3, 5) || '00'}`;
}
