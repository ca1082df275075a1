/**
 * ISO 8601 durations and date-times with calendar semantics, against fixed instants (no clock).
 */
import { describe, expect, it } from 'vitest';
import { addIsoDuration, durationEnd, parseIsoDateTime, parseIsoDuration } from '../../engine/src/core/iso-time.js';

const at = (iso: string) => Date.parse(iso);

describe('durations add on the calendar, as Camunda 8 and FEEL do', () => {
  // given a start instant and a duration, when added, then the end is the calendar result
  it.each([
    ['PT5S', '2026-01-31T10:00:00Z', '2026-01-31T10:00:05Z'],
    ['PT0.3S', '2026-01-31T10:00:00Z', '2026-01-31T10:00:00.300Z'],
    ['PT0,5S', '2026-01-31T10:00:00Z', '2026-01-31T10:00:00.500Z'],
    ['PT1.5H', '2026-01-31T10:00:00Z', '2026-01-31T11:30:00Z'],
    ['PT36H', '2026-01-31T10:00:00Z', '2026-02-01T22:00:00Z'],
    ['P1DT2H', '2026-01-31T10:00:00Z', '2026-02-01T12:00:00Z'],
    ['P1W2D', '2026-01-31T10:00:00Z', '2026-02-09T10:00:00Z'],
    // a calendar month: Jan 31 + P1M is the last day of February, not Jan 31 + 30 days (Mar 2)
    ['P1M', '2026-01-31T10:00:00Z', '2026-02-28T10:00:00Z'],
    ['P1M', '2028-01-31T10:00:00Z', '2028-02-29T10:00:00Z'],
    ['P1M', '2026-03-31T10:00:00Z', '2026-04-30T10:00:00Z'],
    ['P2M', '2026-01-31T10:00:00Z', '2026-03-31T10:00:00Z'],
    // a calendar year: 365 or 366 days, Feb 29 + P1Y is Feb 28
    ['P1Y', '2027-03-01T00:00:00Z', '2028-03-01T00:00:00Z'],
    ['P1Y', '2028-02-29T00:00:00Z', '2029-02-28T00:00:00Z'],
    ['P1Y1M', '2026-01-31T10:00:00Z', '2027-02-28T10:00:00Z'],
    ['P3Y6M4DT12H30M5S', '2026-01-01T00:00:00Z', '2029-07-05T12:30:05Z'],
    ['-PT5S', '2026-01-31T10:00:00Z', '2026-01-31T09:59:55Z'],
    ['PT0S', '2026-01-31T10:00:00Z', '2026-01-31T10:00:00Z'],
  ])('%s after %s ends at %s', (text, from, end) => {
    expect(durationEnd(text, at(from))).toEqual({ ok: true, value: at(end) });
  });

  it('adds calendar days in the zone it is given: across a DST change a day is 23 hours', () => {
    // given Berlin's spring-forward night (2022-03-27, 02:00 -> 03:00)
    const from = at('2022-03-26T09:00:00Z'); // 10:00 in Berlin
    const day = parseIsoDuration('P1D');
    const hours = parseIsoDuration('PT24H');
    if (!day.ok || !hours.ok) throw new Error('durations did not parse');
    // when one calendar day and 24 hours are added, then P1D keeps 10:00 local time and PT24H does not
    expect(addIsoDuration(from, day.value, 'Europe/Berlin')).toBe(at('2022-03-27T08:00:00Z'));
    expect(addIsoDuration(from, hours.value, 'Europe/Berlin')).toBe(at('2022-03-27T09:00:00Z'));
    // and in UTC (the default) a day is always 24 hours
    expect(addIsoDuration(from, day.value)).toBe(at('2022-03-27T09:00:00Z'));
  });

  it.each(['', 'P', 'PT', 'P1DT', '5S', 'PT5', 'P1.5D', 'P1DT-2H', '1 day', 'PT5S trailing', 'P1000000Y', 'R3/PT5S'])(
    'refuses %j',
    (text) => {
      // given a string that is no duration (or one too long to schedule), when parsed, then it is refused
      const parsed = parseIsoDuration(text);
      expect(parsed.ok).toBe(false);
      expect(parsed.ok ? '' : parsed.expected).toMatch(/^an ISO 8601 duration such as PT5S/);
    },
  );
});

describe('date-times must say where they are', () => {
  it.each([
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z', 'UTC'],
    ['2026-12-01T10:00Z', '2026-12-01T10:00:00Z', 'UTC'],
    ['2026-12-01T10:00:00.250Z', '2026-12-01T10:00:00.250Z', 'UTC'],
    ['2026-12-01T10:00:00+02:00', '2026-12-01T08:00:00Z', '+02:00'],
    ['2026-12-01T10:00:00-0530', '2026-12-01T15:30:00Z', '-05:30'],
    ['2026-12-01T10:00:00+02:00[Europe/Berlin]', '2026-12-01T08:00:00Z', 'Europe/Berlin'],
    // FEEL's zoned date-time (what `date and time("…@Europe/Berlin")` evaluates to)
    ['2026-12-01T10:00:00@Europe/Berlin', '2026-12-01T09:00:00Z', 'Europe/Berlin'],
    ['  2026-12-01T10:00:00Z  ', '2026-12-01T10:00:00Z', 'UTC'],
  ])('%s is %s, calendar in %s', (text, instant, zone) => {
    expect(parseIsoDateTime(text)).toEqual({ ok: true, value: { epochMs: at(instant), zone } });
  });

  it.each([
    // without an offset a date-time means a different instant in every time zone: refused, as in Camunda 8
    '2026-12-01T10:00:00',
    '2026-12-01T10:00',
    '2026-12-01',
    '2026-12-01T10:00:00[Europe/Berlin]',
    '2026-12-01T10:00:00@Mars/Olympus',
    'tomorrow',
    '',
    '2026-13-01T10:00:00Z',
  ])('refuses %j', (text) => {
    const parsed = parseIsoDateTime(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.expected).toMatch(/^an ISO 8601 date-time with an offset or a zone/);
  });
});
