/**
 * When timers fire: first due times of durations, dates and cycles, the one catch-up rule for cycles
 * (also as the runtime's start timers apply it), repetition counts and the minimum cycle — all
 * against fixed instants (no clock).
 */
import { describe, expect, it } from 'vitest';
import { checkTimer, nextCycleFiring, planTimer, type CycleProgress } from '../../engine/src/core/timer-plan.js';
import type { TimerKind } from '../../engine/src/model/types.js';
import { nextStartTimer } from '../../engine/src/runtime/start-events.js';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-01-31T10:00:00Z');
const SECOND = 1000;
const HOUR = 3_600_000;

describe('the first due time of a timer armed at now', () => {
  it.each<[TimerKind, string, string]>([
    ['duration', 'PT10S', '2026-01-31T10:00:10Z'],
    ['duration', 'P1M', '2026-02-28T10:00:00Z'],
    // zero or negative: at once (never in the past of its arming)
    ['duration', 'PT0S', '2026-01-31T10:00:00Z'],
    ['duration', '-PT1H', '2026-01-31T10:00:00Z'],
    ['date', '2026-12-01T10:00:00+01:00', '2026-12-01T09:00:00Z'],
    // a past date is due at its date, which has passed: it fires at once
    ['date', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'],
    // a cycle without start: one interval after now, on the calendar
    ['cycle', 'R3/PT10S', '2026-01-31T10:00:10Z'],
    ['cycle', 'R/P1M', '2026-02-28T10:00:00Z'],
    // a cycle with a start: at the start; a start in the past: at once
    ['cycle', 'R3/2026-04-27T17:20:00Z/P1D', '2026-04-27T17:20:00Z'],
    ['cycle', 'R/2020-01-01T00:00:00Z/P1D', '2026-01-31T10:00:00Z'],
    // cron: the next match
    ['cycle', '0 0 9-17 * * MON-FRI', '2026-02-02T09:00:00Z'],
  ])('%s %s is due at %s', (kind, text, due) => {
    const planned = planTimer(kind, text, NOW, SECOND);
    expect(planned.ok && planned.plan.dueAt).toBe(at(due));
  });

  it.each([
    ['R3/PT10S', 2],
    ['R1/PT10S', 0],
    // R0 fires once, as in Camunda 8 (which reschedules only while more than one repetition is left)
    ['R0/PT10S', 0],
    ['R/PT10S', -1],
    ['0 0 * * * *', -1],
  ])('%s keeps %i firings after the first', (text, left) => {
    const planned = planTimer('cycle', text, NOW, SECOND);
    expect(planned.ok && planned.plan.cycle).toEqual({ spec: text, left });
  });
});

describe('the cycle rule: natural next occurrence if still ahead, else one interval after now', () => {
  const cycle = (spec: string, left = -1): CycleProgress => ({ spec, left });

  it.each([
    // on time: previous due + interval
    ['R/PT10S', '2026-01-31T10:00:00Z', '2026-01-31T10:00:00Z', '2026-01-31T10:00:10Z'],
    // a little late: still the natural occurrence, no drift
    ['R/PT10S', '2026-01-31T10:00:00Z', '2026-01-31T10:00:04Z', '2026-01-31T10:00:10Z'],
    // late by exactly one interval: collapsed, next a full interval after now (Camunda 8)
    ['R/PT10S', '2026-01-31T10:00:00Z', '2026-01-31T10:00:10Z', '2026-01-31T10:00:20Z'],
    // down for 3.5 intervals: one firing for all missed ones, then an interval after now
    ['R/PT1H', '2026-01-31T10:00:00Z', '2026-01-31T13:30:00Z', '2026-01-31T14:30:00Z'],
    // calendar months from the previous due time
    ['R/P1M', '2026-01-31T10:00:00Z', '2026-01-31T10:00:01Z', '2026-02-28T10:00:00Z'],
    ['R/P1M', '2026-02-28T10:00:00Z', '2026-02-28T10:00:00Z', '2026-03-28T10:00:00Z'],
    // a start date in a zone: days follow that zone's calendar (Berlin's clocks go forward on 2022-03-27)
    [
      'R/2022-03-26T10:00:00+01:00[Europe/Berlin]/P1D',
      '2022-03-26T09:00:00Z',
      '2022-03-26T09:00:00Z',
      '2022-03-27T08:00:00Z',
    ],
    // cron: the next match after the previous due time, or after now when that one was missed too
    ['0 0 * * * *', '2026-01-31T10:00:00Z', '2026-01-31T10:00:01Z', '2026-01-31T11:00:00Z'],
    ['0 0 * * * *', '2026-01-31T10:00:00Z', '2026-01-31T13:30:00Z', '2026-01-31T14:00:00Z'],
  ])('%s due %s, fired at %s: next at %s', (spec, previousDue, now, next) => {
    expect(nextCycleFiring(cycle(spec), at(previousDue), at(now))).toEqual({
      dueAt: at(next),
      cycle: { spec, left: -1 },
    });
  });

  it('counts firings, not missed occurrences, and ends when none is left', () => {
    // given R3: two firings left after the first
    let progress: CycleProgress = cycle('R3/PT1H', 2);
    let due = at('2026-01-31T10:00:00Z');
    // when the engine was down for five hours before the first firing, then the cycle still fires three times
    const fired = [due + 5 * HOUR];
    for (;;) {
      const next = nextCycleFiring(progress, due, fired[fired.length - 1]!);
      if (!next) break;
      fired.push(next.dueAt);
      ({ dueAt: due, cycle: progress } = next);
    }
    expect(fired.map((t) => new Date(t).toISOString())).toEqual([
      '2026-01-31T15:00:00.000Z',
      '2026-01-31T16:00:00.000Z',
      '2026-01-31T17:00:00.000Z',
    ]);
  });

  it('is the rule the runtime applies to timer start events', () => {
    // given a start timer row of R/PT1H that was due at 10:00 and fires at 13:30 (after downtime)
    const row = {
      key: 'start:p:1:S',
      instanceId: null,
      elementKey: null,
      elementId: 'S',
      definitionKey: 'p:1',
      dueAt: at('2026-01-31T10:00:00Z'),
      repeat: JSON.stringify({ spec: 'R5/PT1H', left: 4 }),
    };
    // when rescheduled, then one interval after now, one repetition used
    expect(nextStartTimer(row, at('2026-01-31T13:30:00Z'))).toEqual({
      ...row,
      dueAt: at('2026-01-31T14:30:00Z'),
      repeat: JSON.stringify({ spec: 'R5/PT1H', left: 3 }),
    });
    // and on time, the natural next occurrence
    expect(nextStartTimer(row, at('2026-01-31T10:00:00.100Z'))?.dueAt).toBe(at('2026-01-31T11:00:00Z'));
    // and when no repetition is left, nothing
    expect(nextStartTimer({ ...row, repeat: JSON.stringify({ spec: 'R5/PT1H', left: 0 }) }, row.dueAt)).toBeUndefined();
  });
});

describe('cycles faster than the minimum and absurd repetition counts are refused', () => {
  it.each([
    // issue 9: as a start timer this created about 1,900 instances in 3 s
    ['R999999/PT0.001S', SECOND, /at most once every 1 s .*not every 1 ms/],
    ['R/PT0.5S', SECOND, /not every 500 ms/],
    ['R/PT59S', 60 * SECOND, /at most once every 1 min .*not every 59 s/],
    ['*/10 * * * * *', 60 * SECOND, /not every 10 s/],
    ['R2147483648/PT1H', SECOND, /a repetition count of at most 2147483647/],
    ['R-1/PT1H', SECOND, /repeating interval/],
    ['R/PT0S', SECOND, /positive duration/],
    ['R/-PT1H', SECOND, /positive duration/],
    ['R3/PT1H/2026-01-01T00:00:00Z', SECOND, /positive duration/],
    ['R3/2026-01-01T00:00:00/PT1H', SECOND, /whose start is an ISO 8601 date-time with an offset or a zone/],
    ['R3', SECOND, /repeating interval/],
  ])('%s with a minimum of %i ms', (text, minimum, reason) => {
    const checked = checkTimer('cycle', text, minimum);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.expected).toMatch(reason);
  });

  it.each([
    ['R/PT1S', SECOND],
    ['R2147483647/PT1H', SECOND],
    ['* * * * * *', SECOND],
    ['R/PT0.1S', 100],
    ['R/P1M', 28 * 24 * HOUR],
  ])('accepts %s with a minimum of %i ms', (text, minimum) => {
    expect(checkTimer('cycle', text, minimum).ok).toBe(true);
  });
});
