/**
 * Range functions (DMN 1.4 §10.3.4.9): feelin's `before`, `after`, `meets`, `met by`, `overlaps` and
 * `includes`; Baton's `overlaps before`, `overlaps after`, `finishes`, `finished by`, `during`,
 * `starts`, `started by` and `coincides`, written from the definitions in the DMN specification on
 * top of feelin's ordering of points (numbers, strings, dates, times, durations).
 */
import { isRange, type FeelRange } from 'feelin';
import { delegates, feelinBuiltin, type BuiltinDef } from '../builtin.js';

const before = feelinBuiltin('before');

/** -1, 0 or 1 as `a` is before, equal to or after `b`; null when they cannot be ordered. */
function cmp(a: unknown, b: unknown): number | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  const lt = before(a, b);
  const gt = before(b, a);
  if (lt === true) return -1;
  if (gt === true) return 1;
  return lt === false && gt === false ? 0 : null;
}

interface Bounds {
  readonly s: unknown;
  readonly e: unknown;
  readonly si: boolean;
  readonly ei: boolean;
}
const bounds = (r: FeelRange): Bounds => ({ s: r.start, e: r.end, si: r['start included'], ei: r['end included'] });

/** Evaluates `test` on comparisons; any comparison that cannot be made makes the answer null. */
function decide(test: (c: (a: unknown, b: unknown) => number) => boolean): boolean | null {
  try {
    return test((a, b) => {
      const r = cmp(a, b);
      if (r === null) throw INCOMPARABLE;
      return r;
    });
  } catch (e) {
    if (e === INCOMPARABLE) return null;
    throw e;
  }
}
const INCOMPARABLE = new Error('incomparable');

type PointFn = (c: (a: unknown, b: unknown) => number, p: unknown, r: Bounds) => boolean;
type RangesFn = (c: (a: unknown, b: unknown) => number, a: Bounds, b: Bounds) => boolean;

/** A function of (point, range) and (range, range) (or (range, point) when `rangeFirst`). */
function relation(params: string[], onPoint: PointFn | null, onRanges: RangesFn, rangeFirst = false): BuiltinDef {
  return {
    params,
    arities: [2],
    cost: 'const',
    fn: (_c, [x, y]) => {
      if (isRange(x) && isRange(y)) return decide((c) => onRanges(c, bounds(x), bounds(y)));
      const [point, range] = rangeFirst ? [y, x] : [x, y];
      if (onPoint && isRange(range) && !isRange(point)) return decide((c) => onPoint(c, point, bounds(range)));
      return null;
    },
  };
}

const overlapsBefore: RangesFn = (c, a, b) =>
  (c(a.s, b.s) < 0 || (c(a.s, b.s) === 0 && a.si && !b.si)) &&
  (c(a.e, b.s) > 0 || (c(a.e, b.s) === 0 && a.ei && b.si)) &&
  (c(a.e, b.e) < 0 || (c(a.e, b.e) === 0 && (!a.ei || b.ei)));

export const RANGE: Record<string, BuiltinDef> = {
  ...delegates(
    {
      before: ['point1', 'point2'],
      after: ['point1', 'point2'],
      meets: ['range1', 'range2'],
      'met by': ['range1', 'range2'],
      overlaps: ['range1', 'range2'],
      includes: ['range', 'point'],
    },
    'const',
  ),
  'overlaps before': relation(['range1', 'range2'], null, overlapsBefore),
  'overlaps after': relation(['range1', 'range2'], null, (c, a, b) => overlapsBefore(c, b, a)),
  finishes: relation(
    ['point', 'range'],
    (c, p, r) => r.ei && c(r.e, p) === 0,
    (c, a, b) => a.ei === b.ei && c(a.e, b.e) === 0 && (c(a.s, b.s) > 0 || (c(a.s, b.s) === 0 && (!a.si || b.si))),
  ),
  'finished by': relation(
    ['range', 'point'],
    (c, p, r) => r.ei && c(r.e, p) === 0,
    (c, a, b) => a.ei === b.ei && c(a.e, b.e) === 0 && (c(a.s, b.s) < 0 || (c(a.s, b.s) === 0 && (a.si || !b.si))),
    true,
  ),
  during: relation(
    ['point', 'range'],
    (c, p, r) => (c(r.s, p) < 0 && c(r.e, p) > 0) || (c(r.s, p) === 0 && r.si) || (c(r.e, p) === 0 && r.ei),
    (c, a, b) =>
      (c(b.s, a.s) < 0 || (c(b.s, a.s) === 0 && (b.si || !a.si))) &&
      (c(b.e, a.e) > 0 || (c(b.e, a.e) === 0 && (b.ei || !a.ei))),
  ),
  starts: relation(
    ['point', 'range'],
    (c, p, r) => r.si && c(r.s, p) === 0,
    (c, a, b) => c(a.s, b.s) === 0 && a.si === b.si && (c(a.e, b.e) < 0 || (c(a.e, b.e) === 0 && (!a.ei || b.ei))),
  ),
  'started by': relation(
    ['range', 'point'],
    (c, p, r) => r.si && c(r.s, p) === 0,
    (c, a, b) => c(a.s, b.s) === 0 && a.si === b.si && (c(b.e, a.e) < 0 || (c(b.e, a.e) === 0 && (!b.ei || a.ei))),
    true,
  ),
  coincides: {
    params: ['point1', 'point2'],
    arities: [2],
    cost: 'const',
    fn: (_c, [x, y]) => {
      if (isRange(x) && isRange(y)) {
        const a = bounds(x);
        const b = bounds(y);
        return decide((c) => c(a.s, b.s) === 0 && a.si === b.si && c(a.e, b.e) === 0 && a.ei === b.ei);
      }
      if (isRange(x) || isRange(y)) return null;
      const r = cmp(x, y);
      return r === null ? null : r === 0;
    },
  },
};
