/**
 * The workloads, their sizes (full and `--quick`), the rounds and the table of medians.
 * `run.ts` is the command line; tests call {@link runSuite} directly.
 */
import {
  batonFlow,
  batonFlowNodes,
  batonTimers,
  batonTimersSteady,
  batonWaiting,
  batonWithWaiting,
  withSync,
  type Measure,
} from './baton.js';
import { batonDecisions } from './decisions.js';
import { batonObservability } from './observability.js';
import { batonProcessTests } from './process-tests.js';
import { batonHttp, batonHttpStarts } from './http.js';
import { batonLargeJobs, batonLargeScript } from './large.js';
import { batonV2Workers } from './http-v2.js';
import { batonBatchUnderLoad, batonRetentionDay } from './operate.js';
import { gatewayModel, lineModel, parallelModel } from './models.js';
import { peerFlow, peerWaiting } from './peer.js';
import { fmt, median } from './stats.js';

export type System = 'baton' | 'peer';
interface Metric {
  key: string;
  label: string;
  better: 'higher' | 'lower';
  target?: number;
}
interface Case {
  workload: string;
  name: string;
  metrics: Metric[];
  baton: () => Promise<Measure>;
  peer?: () => Promise<Measure>;
}

export interface SuiteOptions {
  quick?: boolean;
  /** Workload letters; default a–f, h–m and p (g, the scaling sweep, runs only when named). */
  only?: string[];
  systems?: System[];
  rounds?: number;
  /** Beside every SQLite row, the same with synchronous=NORMAL (`npm run bench` does; default false). */
  normalRows?: boolean;
  log?: (line: string) => void;
}

export interface CaseResult {
  workload: string;
  name: string;
  metrics: Metric[];
  values: Record<System, Record<string, number[]>>;
}

function cases(q: boolean, normalRows: boolean): Case[] {
  const size = (full: number, quick: number) => (q ? quick : full);
  const rate: Metric[] = [{ key: 'rate', label: 'instances/s', better: 'higher' }];
  const flows = [
    {
      w: 'a',
      what: 'service → XOR → end',
      target: 5000,
      model: gatewayModel,
      id: 'bench_a',
      seq: [size(600, 30), size(150, 10)],
      par: [size(3000, 100), size(300, 20)],
    },
    {
      w: 'b',
      what: '10 service tasks in a line',
      target: 1000,
      model: lineModel,
      id: 'bench_b',
      seq: [size(500, 10), size(80, 5)],
      par: [size(1000, 100), size(100, 20)],
    },
    {
      w: 'c',
      what: '10-branch parallel fork/join',
      target: 1000,
      model: parallelModel,
      id: 'bench_c',
      seq: [size(500, 10), size(60, 5)],
      par: [size(1000, 100), size(100, 20)],
    },
  ];
  const out: Case[] = [];
  for (const f of flows) {
    for (const [label, c, [nb, np]] of [
      ['sequential', 1, f.seq],
      ['100 in flight', 100, f.par],
    ] as const) {
      out.push({
        workload: f.w,
        name: `(${f.w}) ${f.what}, ${label}`,
        metrics: rate.map((m) => ({ ...m, target: f.target })),
        baton: () => batonFlow(f.model('zeebe'), f.id, nb!, c),
        peer: () => peerFlow(f.model('peer'), np!, c),
      });
    }
  }
  const waitMetrics = (verb: string): Metric[] => [
    { key: 'heapPerInstance', label: 'heap B/waiting instance', better: 'lower', target: 2048 },
    { key: 'rssPerInstance', label: 'RSS B/waiting instance', better: 'lower' },
    { key: 'diskPerInstance', label: 'disk B/waiting instance', better: 'lower' },
    { key: 'startRate', label: 'starts/s to the wait (200 in flight)', better: 'higher' },
    { key: 'resumeRate', label: `${verb}/s (all at once)`, better: 'higher' },
  ];
  const nWait = size(10_000, 300);
  const nPeerWait = size(500, 30);
  out.push({
    workload: 'd',
    name: `(d) ${nWait} waiting at a user task (bpmn-engine: ${nPeerWait})`,
    metrics: waitMetrics('completions'),
    baton: () => batonWaiting('user', nWait),
    peer: () => peerWaiting('user', nPeerWait),
  });
  out.push({
    workload: 'd',
    name: `(d) ${nWait} waiting at a message catch (bpmn-engine: ${nPeerWait})`,
    metrics: waitMetrics('correlations'),
    baton: () => batonWaiting('message', nWait),
    peer: () => peerWaiting('message', nPeerWait),
  });
  const nTimers = size(10_000, 300);
  out.push({
    workload: 'e',
    name: `(e) ${nTimers} timers due at one moment`,
    baton: () => batonTimers(nTimers),
    metrics: [
      { key: 'fireRate', label: 'timers fired/s', better: 'higher', target: 5000 },
      { key: 'p99Lag', label: 'p99 lag ms', better: 'lower', target: 100 },
    ],
  });
  out.push({
    workload: 'e',
    name: `(e) ${nTimers} timers due one after another at 5,000/s (steady load)`,
    baton: () => batonTimersSteady(nTimers, 5000),
    metrics: [
      { key: 'p50Lag', label: 'p50 lag ms', better: 'lower' },
      { key: 'p99Lag', label: 'p99 lag ms', better: 'lower', target: 100 },
    ],
  });
  out.push({
    workload: 'f',
    name: '(f) HTTP: 4 workers, maxJobs 32; starts at 500/s',
    baton: () => batonHttp(size(4000, 200), size(5, 1)),
    metrics: [
      { key: 'jobRate', label: 'jobs/s', better: 'higher', target: 2000 },
      { key: 'jobP99', label: 'p99 activate→complete ms', better: 'lower', target: 20 },
      { key: 'startP50', label: 'start p50 ms @500/s', better: 'lower' },
      { key: 'startP99', label: 'start p99 ms @500/s', better: 'lower', target: 10 },
    ],
  });
  out.push({
    workload: 'f',
    name: '(f) HTTP: instance starts (start → user task → end), 16 clients',
    baton: () => batonHttpStarts(size(20_000, 300), 16),
    metrics: [{ key: 'startRate', label: 'starts/s', better: 'higher', target: 4000 }],
  });
  // Little's law: 4 workers × 32 jobs in flight at 2,000 jobs/s is 64 ms on average, whatever the
  // engine; with 8 jobs per batch the same rate leaves room for the 20 ms p99 target.
  out.push({
    workload: 'f',
    name: '(f) HTTP: 4 workers, maxJobs 8',
    baton: () => batonHttp(size(4000, 200), 0, 8),
    metrics: [
      { key: 'jobRate', label: 'jobs/s', better: 'higher', target: 2000 },
      { key: 'jobP99', label: 'p99 activate→complete ms', better: 'lower', target: 20 },
    ],
  });
  out.push({
    workload: 'f',
    name: '(f) HTTP /v2: 4 job workers of the official 9.x client, maxParallelJobs 32',
    baton: () => batonV2Workers(size(4000, 200), 32),
    metrics: [
      { key: 'jobRate', label: 'jobs/s', better: 'higher' },
      { key: 'jobP99', label: 'p99 activate→complete ms', better: 'lower' },
    ],
  });
  // (p) PostgreSQL: (a)–(c) with 100 in flight and the job API, on one node and on three nodes
  // sharing one database; the SQLite figures of the same run are the rows (a)–(c) and (f) above
  for (const f of flows) {
    for (const nodes of [1, 3]) {
      out.push({
        workload: 'p',
        name: `(p) ${f.w}: ${f.what}, 100 in flight — PostgreSQL, ${nodes} node${nodes > 1 ? 's' : ''}`,
        metrics: rate.map((m) => ({ ...m, ...(f.w === 'a' && nodes === 1 ? { target: 2000 } : {}) })),
        baton: () =>
          nodes === 1
            ? batonFlow(f.model('zeebe'), f.id, f.par[0]!, 100, true)
            : batonFlowNodes(f.model('zeebe'), f.id, f.par[0]!, 100, nodes),
      });
    }
  }
  for (const nodes of [1, 3]) {
    out.push({
      workload: 'p',
      name: `(p) f: HTTP, 4 workers, maxJobs 32 — PostgreSQL, ${nodes} node${nodes > 1 ? 's' : ''}`,
      baton: () => batonHttp(size(4000, 200), 0, 32, { postgres: true, nodes }),
      metrics: [
        { key: 'jobRate', label: 'jobs/s', better: 'higher' },
        { key: 'jobP99', label: 'p99 activate→complete ms', better: 'lower' },
      ],
    });
  }
  const nCancel = size(10_000, 200);
  out.push({
    workload: 'h',
    name: `(h) a batch cancelling ${nCancel.toLocaleString('en-US')} waiting instances while (a) runs with 100 in flight`,
    baton: () => batonBatchUnderLoad(nCancel, size(3000, 300)),
    metrics: [
      { key: 'rateBefore', label: '(a) instances/s before', better: 'higher' },
      { key: 'rateDuring', label: '(a) instances/s during the batch', better: 'higher' },
      { key: 'share', label: 'during / before', better: 'higher', target: 0.5 },
      { key: 'cancelRate', label: 'cancels/s', better: 'higher' },
    ],
  });
  out.push({
    workload: 'i',
    name: `(i) a day of (a) at ${size(3600, 60)}/hour in ${size(60, 4)} s, retention PT1H`,
    baton: () => batonRetentionDay(size(60, 4), size(3600, 60)),
    metrics: [
      { key: 'size2h', label: 'database bytes at 2 h', better: 'lower' },
      { key: 'size6h', label: 'database bytes at 6 h', better: 'lower' },
      { key: 'size24h', label: 'database bytes at 24 h', better: 'lower' },
      { key: 'growth6to24', label: 'size 24 h / size 6 h', better: 'lower', target: 1.25 },
      { key: 'started', label: 'instances started', better: 'higher' },
      { key: 'kept', label: 'instances kept at 24 h', better: 'lower' },
    ],
  });
  out.push({
    workload: 'j',
    name: '(j) decisions: a 20-rule table (FIRST), standalone and from a business rule task, 100 in flight',
    baton: () => batonDecisions(size(3000, 100), 100, size(2000, 100)),
    metrics: [
      { key: 'pureRate', label: 'evaluations/s (evaluator)', better: 'higher' },
      { key: 'apiRate', label: 'evaluations/s (API, deployed)', better: 'higher' },
      { key: 'baseRate', label: 'instances/s, plain task', better: 'higher' },
      { key: 'rate', label: 'instances/s, business rule task', better: 'higher' },
      { key: 'costUs', label: 'µs a decision adds per instance', better: 'lower' },
    ],
  });
  const nTests = size(50, 10);
  out.push({
    workload: 'k',
    name: `(k) ${nTests} process tests with the testing kit, each: new engine, deploy, 3 job doubles, a 3-day timer advanced`,
    baton: () => batonProcessTests(nTests),
    metrics: [
      { key: 'rate', label: 'process tests/s', better: 'higher', target: 25 },
      { key: 'seconds', label: `s for ${nTests} tests`, better: 'lower', ...(q ? {} : { target: 2 }) },
      { key: 'cpuMs', label: 'CPU ms per test', better: 'lower' },
    ],
  });
  out.push({
    workload: 'l',
    name: '(l) observability: (b) 100 in flight with no-op metrics, real metrics, + info log, + tracing',
    baton: () => batonObservability(size(2000, 50)),
    metrics: [
      { key: 'rateNop', label: 'instances/s, no-op metrics', better: 'higher' },
      { key: 'rateMetrics', label: 'instances/s, metrics', better: 'higher' },
      { key: 'rateLogs', label: 'instances/s, metrics + info log', better: 'higher' },
      { key: 'rateTracing', label: 'instances/s, + tracing', better: 'higher' },
      { key: 'cpuNop', label: 'CPU µs per instance, no-op metrics', better: 'lower' },
      { key: 'metricsUs', label: 'CPU µs metrics add per instance', better: 'lower' },
      { key: 'logsUs', label: 'CPU µs the info log adds per instance', better: 'lower' },
      { key: 'tracingUs', label: 'CPU µs tracing adds per instance', better: 'lower' },
      { key: 'metricsReplayUs', label: 'CPU µs per instance, metrics alone (replay)', better: 'lower' },
      { key: 'tracingReplayUs', label: 'CPU µs per instance, tracing alone (replay)', better: 'lower' },
    ],
  });
  for (const n of q ? [200, 2000] : [10_000, 100_000]) {
    out.push({
      workload: 'm',
      name: `(m) one instance: a parallel multi-instance script over ${n.toLocaleString('en-US')} items`,
      baton: () => batonLargeScript(n),
      metrics: [
        { key: 'seconds', label: 'seconds to complete', better: 'lower', ...(n === 10_000 ? { target: 1 } : {}) },
        { key: 'itemRate', label: 'items/s', better: 'higher' },
      ],
    });
  }
  const nJobs = size(1000, 50);
  out.push({
    workload: 'm',
    name: `(m) one instance: a parallel multi-instance service task of ${nJobs.toLocaleString('en-US')} jobs through the job API (4 workers, maxJobs 32), against ${nJobs.toLocaleString('en-US')} one-task instances`,
    baton: () => batonLargeJobs(nJobs),
    metrics: [
      { key: 'jobRate', label: 'jobs/s, one instance', better: 'higher' },
      { key: 'separateRate', label: 'jobs/s, separate instances', better: 'higher' },
      { key: 'share', label: 'one instance / separate', better: 'higher', target: 1 },
    ],
  });
  for (const waiting of q ? [100, 1000] : [1000, 100_000]) {
    out.push({
      workload: 'g',
      name: `(g) (a) 100 in flight with ${waiting.toLocaleString('en-US')} instances waiting`,
      baton: () => batonWithWaiting(waiting, size(3000, 100)),
      metrics: [
        { key: 'rate', label: 'instances/s', better: 'higher' },
        { key: 'startRate', label: 'preload starts/s', better: 'higher' },
      ],
    });
  }
  // beside every SQLite row (synchronous=FULL, the engine's default) the same with synchronous=NORMAL,
  // which does not fsync each commit: like for like with engines that do not either
  if (!normalRows || process.env.BENCH_SYNC) return out;
  return out.flatMap((c) =>
    c.workload === 'p'
      ? [c]
      : [
          c,
          {
            ...c,
            name: `${c.name} — synchronous=NORMAL`,
            metrics: c.metrics.map(({ target: _t, ...m }) => m),
            baton: () => withSync('NORMAL', c.baton),
          },
        ],
  );
}

export async function runSuite(o: SuiteOptions = {}): Promise<CaseResult[]> {
  const q = o.quick ?? false;
  const only = o.only ?? ['a', 'b', 'c', 'd', 'e', 'f', 'h', 'i', 'j', 'k', 'l', 'm', 'p'];
  const systems = o.systems ?? ['baton', 'peer'];
  const rounds = o.rounds ?? (q ? 1 : 3);
  const log = o.log ?? (() => {});
  const selected = cases(q, o.normalRows ?? false).filter((c) => only.includes(c.workload));
  const results: CaseResult[] = selected.map((c) => ({
    workload: c.workload,
    name: c.name,
    metrics: c.metrics,
    values: { baton: {}, peer: {} },
  }));
  for (let r = 1; r <= rounds; r++) {
    for (const [i, c] of selected.entries()) {
      for (const sys of systems) {
        const fn = sys === 'baton' ? c.baton : c.peer;
        if (!fn) continue;
        const t0 = performance.now();
        const m = await fn();
        for (const [k, v] of Object.entries(m)) (results[i]!.values[sys][k] ??= []).push(v);
        log(
          `round ${r}/${rounds} ${sys.padEnd(5)} ${c.name}: ${c.metrics.map((x) => `${x.label} ${fmt(m[x.key] ?? NaN)}`).join(', ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
    }
  }
  return results;
}

const cell = (v: number[] | undefined) =>
  v?.length ? `${fmt(median(v))} (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})` : '—';

/** A Markdown table: medians with min–max, the Baton/bpmn-engine ratio and the issue's target. */
export function table(results: CaseResult[]): string {
  const lines = [
    '| workload | metric | Baton median (min–max) | bpmn-engine median (min–max) | Baton/peer | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const m of r.metrics) {
      const b = r.values.baton[m.key];
      const p = r.values.peer[m.key];
      const ratio = b?.length && p?.length ? median(b) / median(p) : NaN;
      const ratioText = Number.isFinite(ratio)
        ? ratio >= 0.01
          ? `${fmt(ratio)}×`
          : `${ratio.toExponential(1)}×`
        : '—';
      const target = m.target === undefined ? '' : `${m.better === 'higher' ? '≥' : '≤'} ${fmt(m.target)}`;
      const met =
        m.target === undefined || !b?.length
          ? ''
          : (m.better === 'higher' ? median(b) >= m.target : median(b) <= m.target)
            ? 'yes'
            : '**no**';
      lines.push(`| ${r.name} | ${m.label} | ${cell(b)} | ${cell(p)} | ${ratioText} | ${target} | ${met} |`);
    }
  }
  return lines.join('\n');
}
