/**
 * What a timer's value means: a duration (`PT5S`, `P1M`), a date-time (`2026-12-01T10:00:00Z`), or a
 * cycle — an ISO 8601 repeating interval (`R3/PT10S`, `R/2026-12-01T10:00:00Z/P1D`) or a cron
 * expression (`0 0 9-17 * * MON-FRI`). One parser for the compiler, the core and the runtime, so a
 * value is accepted or refused, and means the same, everywhere. Pure.
 */
import type { Temporal } from 'temporal-polyfill';
import type { TimerKind } from '../model/types.js';
import { parseCron, type CronSchedule } from './cron.js';
import { parseIsoDateTime, parseIsoDuration, type IsoDateTime, type Parsed } from './iso-time.js';

export type { Parsed } from './iso-time.js';

/** A repeating interval: `repetitions` firings (-1 = unbounded), one `interval` apart, from `start` if given. */
export interface IntervalCycle {
  readonly type: 'interval';
  readonly repetitions: number;
  readonly interval: Temporal.Duration;
  readonly start?: IsoDateTime;
}

/** A cron cycle: fires at every match, unbounded. */
export interface CronCycle {
  readonly type: 'cron';
  readonly repetitions: -1;
  readonly cron: CronSchedule;
}

export type CycleSpec = IntervalCycle | CronCycle;

/** A parsed timer value. */
export type TimerSpec =
  | { readonly kind: 'duration'; readonly duration: Temporal.Duration }
  | { readonly kind: 'date'; readonly at: IsoDateTime }
  | { readonly kind: 'cycle'; readonly cycle: CycleSpec };

/** The BPMN property that holds each kind of timer value, for messages. */
export const TIMER_PROPERTY: Readonly<Record<TimerKind, string>> = {
  duration: 'timeDuration',
  date: 'timeDate',
  cycle: 'timeCycle',
};

/** Camunda 8 reads the repetition count as a Java int. */
export const MAX_REPETITIONS = 2_147_483_647;

const EXPECTED_REPEATING =
  'an ISO 8601 repeating interval such as R3/PT10S, R/P1D or R2/2026-12-01T10:00:00Z/PT1H, or a cron expression such as 0 0 9-17 * * MON-FRI';

/** Parses a timer value of the given kind. */
export function parseTimer(kind: TimerKind, text: string): Parsed<TimerSpec> {
  const t = text.trim();
  switch (kind) {
    case 'duration': {
      const d = parseIsoDuration(t);
      return d.ok ? { ok: true, value: { kind, duration: d.value } } : d;
    }
    case 'date': {
      const at = parseIsoDateTime(t);
      return at.ok ? { ok: true, value: { kind, at: at.value } } : at;
    }
    case 'cycle': {
      const cycle = parseCycle(t);
      return cycle.ok ? { ok: true, value: { kind, cycle: cycle.value } } : cycle;
    }
  }
}

/**
 * Parses a cycle: `R[n]/[start/]duration` (n omitted = unbounded; n = 0 fires once, as in Camunda 8)
 * or, for anything not starting with R, a cron expression.
 */
export function parseCycle(text: string): Parsed<CycleSpec> {
  const t = text.trim();
  if (!/^R/i.test(t)) {
    const cron = parseCron(t);
    return cron.ok ? { ok: true, value: { type: 'cron', repetitions: -1, cron: cron.value } } : cron;
  }
  // R<n>/<start>/<duration>: the start may hold slashes itself (`[Europe/Berlin]`)
  const first = t.indexOf('/');
  const last = t.lastIndexOf('/');
  if (first < 0) return { ok: false, expected: EXPECTED_REPEATING };
  const count = t.slice(1, first);
  if (count !== '' && !/^\d+$/.test(count)) return { ok: false, expected: EXPECTED_REPEATING };
  const repetitions = count === '' ? -1 : Number(count);
  if (repetitions > MAX_REPETITIONS)
    return { ok: false, expected: `a repetition count of at most ${MAX_REPETITIONS} (as in Camunda 8)` };
  const interval = parseIsoDuration(t.slice(last + 1));
  if (!interval.ok || interval.value.sign <= 0)
    return { ok: false, expected: `${EXPECTED_REPEATING}, with a positive duration` };
  const startText = last > first ? t.slice(first + 1, last) : '';
  if (startText === '') return { ok: true, value: { type: 'interval', repetitions, interval: interval.value } };
  const start = parseIsoDateTime(startText);
  if (!start.ok) return { ok: false, expected: `${EXPECTED_REPEATING}, whose start is ${start.expected}` };
  return { ok: true, value: { type: 'interval', repetitions, interval: interval.value, start: start.value } };
}
