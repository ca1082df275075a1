/**
 * ISO 8601 durations, dates, repeating intervals and cron cycles, as timers need them. Pure: the
 * current time comes in as an argument.
 */

const DURATION =
  /^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Milliseconds of an ISO 8601 duration such as `PT5S`, `PT0.3S`, `P1DT2H`; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const n = (i: number) => (m[i] ? Number(m[i]!.replace(',', '.')) : 0);
  const ms = (((n(2) * 365 + n(3) * 30 + n(4) * 7 + n(5)) * 24 + n(6)) * 60 + n(7)) * 60_000 + n(8) * 1000;
  return m[1] ? -ms : Math.round(ms);
}

/** Epoch ms of an ISO date-time; undefined when malformed. */
export function parseDateMs(text: string): number | undefined {
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? undefined : t;
}

export interface CycleSpec {
  /** Repetitions (-1 = unbounded). */
  readonly repetitions: number;
  readonly everyMs?: number;
  readonly startMs?: number;
  readonly cron?: CronSpec;
}

/** `R3/PT10S`, `R/PT1M`, `R2/2026-12-01T10:00:00Z/PT1H`, or a cron expression. */
export function parseCycle(text: string): CycleSpec | undefined {
  const t = text.trim();
  if (t.startsWith('R')) {
    const parts = t.split('/');
    const reps = parts[0] === 'R' ? -1 : Number(parts[0]!.slice(1));
    if (!Number.isInteger(reps)) return undefined;
    if (parts.length === 2) {
      const every = parseDurationMs(parts[1]!);
      return every && every > 0 ? { repetitions: reps, everyMs: every } : undefined;
    }
    if (parts.length === 3) {
      const start = parseDateMs(parts[1]!);
      const every = parseDurationMs(parts[2]!);
      return start !== undefined && every && every > 0
        ? { repetitions: reps, everyMs: every, startMs: start }
        : undefined;
    }
    return undefined;
  }
  const cron = parseCron(t);
  return cron ? { repetitions: -1, cron } : undefined;
}

/** First due time of a cycle after `now`. */
export function firstDue(spec: CycleSpec, now: number): number {
  if (spec.cron) return nextCron(spec.cron, now);
  if (spec.startMs !== undefined) return Math.max(spec.startMs, now);
  return now + spec.everyMs!;
}

/** Next due time after one that fired at `due`. */
export function nextDue(spec: CycleSpec, due: number): number {
  return spec.cron ? nextCron(spec.cron, due) : due + spec.everyMs!;
}

export interface CronSpec {
  readonly sec: Set<number>;
  readonly min: Set<number>;
  readonly hour: Set<number>;
  readonly dom: Set<number>;
  readonly mon: Set<number>;
  readonly dow: Set<number>;
  readonly domAny: boolean;
  readonly dowAny: boolean;
}

function field(text: string, lo: number, hi: number): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let a = lo,
      b = hi;
    if (range !== '*' && range !== '?') {
      const [x, y] = range!.split('-');
      a = Number(x);
      b = y === undefined ? (stepText ? hi : a) : Number(y);
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < lo || b > hi || a > b) return undefined;
    }
    for (let v = a; v <= b; v += step) out.add(v);
  }
  return out;
}

/** Parses 5-field (min hour dom mon dow) or 6-field (sec first) cron expressions, UTC. */
export function parseCron(text: string): CronSpec | undefined {
  const f = text.split(/\s+/);
  if (f.length !== 5 && f.length !== 6) return undefined;
  const [s, mi, h, dom, mon, dow] = f.length === 6 ? f : ['0', ...f];
  const spec = {
    sec: field(s!, 0, 59),
    min: field(mi!, 0, 59),
    hour: field(h!, 0, 23),
    dom: field(dom!, 1, 31),
    mon: field(mon!, 1, 12),
    dow: field(dow!.replace('7', '0'), 0, 6),
  };
  if (Object.values(spec).some((v) => v === undefined)) return undefined;
  return {
    ...(spec as Omit<CronSpec, 'domAny' | 'dowAny'>),
    domAny: dom === '*' || dom === '?',
    dowAny: dow === '*' || dow === '?',
  };
}

/** The first second strictly after `after` that the cron expression matches (UTC). */
export function nextCron(c: CronSpec, after: number): number {
  let t = Math.floor(after / 1000) * 1000 + 1000;
  const limit = after + 5 * 366 * 86_400_000;
  while (t < limit) {
    const d = new Date(t);
    const dayOk =
      c.domAny && c.dowAny
        ? true
        : c.domAny
          ? c.dow.has(d.getUTCDay())
          : c.dowAny
            ? c.dom.has(d.getUTCDate())
            : c.dom.has(d.getUTCDate()) || c.dow.has(d.getUTCDay());
    if (!c.mon.has(d.getUTCMonth() + 1) || !dayOk) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!c.hour.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!c.min.has(d.getUTCMinutes())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes() + 1);
      continue;
    }
    if (!c.sec.has(d.getUTCSeconds())) {
      t += 1000;
      continue;
    }
    return t;
  }
  return Number.MAX_SAFE_INTEGER;
}
