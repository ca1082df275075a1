/**
 * Cron expressions with Camunda 8's (Spring's) syntax, evaluated by croner in UTC, against fixed
 * instants (no clock).
 */
import { describe, expect, it } from 'vitest';
import { parseCron } from '../../engine/src/core/cron.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The next `n` matches strictly after `from`. */
function runs(expression: string, from: string, n = 3): string[] {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(`${expression} was refused: ${parsed.expected}`);
  const out: string[] = [];
  for (let t: number | undefined = at(from); out.length < n;) {
    t = parsed.value.next(t);
    if (t === undefined) break;
    out.push(iso(t));
  }
  return out;
}

describe('cron expressions as Camunda 8 reads them', () => {
  // 2026-01-01 is a Thursday
  it.each([
    // Camunda's documented example: on the hour, 9 to 17, Monday to Friday
    ['0 0 9-17 * * MON-FRI', '2026-01-02T16:30:00Z', ['2026-01-02T17:00:00Z', '2026-01-05T09:00:00Z']],
    // day of week 5-7 is Friday to Sunday (0 and 7 are both Sunday)
    ['0 0 0 * * 5-7', '2026-01-01T00:00:00Z', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z']],
    [
      '0 0 0 * * FRI-SUN',
      '2026-01-01T00:00:00Z',
      ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z'],
    ],
    ['0 0 0 * * 7', '2026-01-01T00:00:00Z', ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']],
    ['0 0 0 * * 0', '2026-01-01T00:00:00Z', ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']],
    // seconds come first
    [
      '*/15 * * * * *',
      '2026-01-01T10:00:00Z',
      ['2026-01-01T10:00:15Z', '2026-01-01T10:00:30Z', '2026-01-01T10:00:45Z'],
    ],
    [
      '0 0/30 8-10 * * *',
      '2026-01-01T09:40:00Z',
      ['2026-01-01T10:00:00Z', '2026-01-01T10:30:00Z', '2026-01-02T08:00:00Z'],
    ],
    ['0 0 0 25 12 ?', '2026-01-01T00:00:00Z', ['2026-12-25T00:00:00Z', '2027-12-25T00:00:00Z']],
    ['0 0 0 1,15 JAN-MAR *', '2026-01-01T00:00:00Z', ['2026-01-15T00:00:00Z', '2026-02-01T00:00:00Z']],
    // L: last day of the month; L-3: three days before it
    ['0 0 0 L * *', '2026-01-01T00:00:00Z', ['2026-01-31T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z']],
    ['0 0 0 L-3 * *', '2026-01-01T00:00:00Z', ['2026-01-28T00:00:00Z', '2026-02-25T00:00:00Z', '2026-03-28T00:00:00Z']],
    // W: the weekday nearest to a day (never leaving the month); LW: the last weekday
    ['0 0 0 1W * *', '2022-01-01T00:00:00Z', ['2022-01-03T00:00:00Z', '2022-02-01T00:00:00Z']],
    ['0 0 0 15W * *', '2026-02-01T00:00:00Z', ['2026-02-16T00:00:00Z', '2026-03-16T00:00:00Z']],
    ['0 0 0 LW * *', '2026-01-01T00:00:00Z', ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z']],
    // nL / DDDL: the last such weekday of the month; # the n-th one
    ['0 0 0 * * 5L', '2026-01-01T00:00:00Z', ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z']],
    ['0 0 0 * * THUL', '2026-01-01T00:00:00Z', ['2026-01-29T00:00:00Z', '2026-02-26T00:00:00Z']],
    ['0 0 0 ? * 5#2', '2026-01-01T00:00:00Z', ['2026-01-09T00:00:00Z', '2026-02-13T00:00:00Z']],
    ['0 0 0 ? * MON#1', '2026-01-01T00:00:00Z', ['2026-01-05T00:00:00Z', '2026-02-02T00:00:00Z']],
    // day of month and day of week must both match (Spring), not either (Vixie cron)
    ['0 0 0 1 * MON', '2026-01-01T00:00:00Z', ['2026-06-01T00:00:00Z', '2027-02-01T00:00:00Z']],
    // macros
    ['@daily', '2026-01-01T10:00:00Z', ['2026-01-02T00:00:00Z']],
    ['@hourly', '2026-01-01T10:00:00Z', ['2026-01-01T11:00:00Z']],
    ['@weekly', '2026-01-01T10:00:00Z', ['2026-01-04T00:00:00Z']],
    ['@monthly', '2026-01-01T10:00:00Z', ['2026-02-01T00:00:00Z']],
    ['@yearly', '2026-01-01T10:00:00Z', ['2027-01-01T00:00:00Z']],
    // Baton also reads five fields (no seconds) as second 0
    ['0 0 * * 5-7', '2026-01-01T00:00:00Z', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z']],
  ])('%s after %s: %j', (expression, from, expected) => {
    expect(runs(expression, from, expected.length)).toEqual(expected);
  });

  it('gives the next match strictly after the instant, even when the instant matches', () => {
    // given an instant that is itself a match, when asked for the next one, then it is the following match
    expect(runs('0 0 * * * *', '2026-01-01T10:00:00Z', 1)).toEqual(['2026-01-01T11:00:00Z']);
    expect(runs('0 0 * * * *', '2026-01-01T10:00:00.500Z', 1)).toEqual(['2026-01-01T11:00:00Z']);
  });

  it.each([
    ['0 0 0 * *  * 2027', /six fields/], // seven fields: Camunda has no year field
    ['0 0 0 *', /six fields/],
    ['60 0 0 * * *', /six fields/],
    ['0 0 24 * * *', /six fields/],
    ['0 0 0 0 * *', /six fields/],
    ['0 0 0 * 13 *', /six fields/],
    ['0 0 0 * * 8', /six fields/],
    ['0 0 0 */0 * *', /six fields/],
    ['0 0 0 * * MON-XYZ', /six fields/],
    ['a b c d e f', /six fields/],
    ['@reboot', /six fields/],
    ['', /six fields/],
    ['0 0 0 31 2 *', /never does/],
    ['0 0 0 L-3 * MON', /L-n in the day of month only with \* or \?/],
  ])('refuses %j', (expression, reason) => {
    const parsed = parseCron(expression);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.expected).toMatch(reason);
  });
});
