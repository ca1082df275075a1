/**
 * Prometheus metrics of one engine (prom-client), labelled by process and element so that a scrape
 * answers "which process, which step": instance and element durations, job results, incidents,
 * compensations, escalations, messages, timers, command latency, and two gauges read from the
 * database at scrape time (open incidents; instances without progress for longer than an age).
 *
 * Labels are bounded (./metric-labels.ts): process id, element id, job type, incident type, end
 * state, command — never an instance id or business key. Counters and histograms are updated only
 * after the transaction that did the work committed (see ./observe.ts and ./group-commit.ts), so a
 * batch rolled back and run again counts once. Each call creates its own {@link Registry}, so
 * several engines (or tests) in one process never share metrics. The full list with label sets and
 * example queries is in docs/observability.md.
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ stuckAfterMs: 3_600_000 });
 * const engine = await openEngine({ dbPath, metrics }); // the engine attaches the database gauges
 * res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
 * ```
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GaugeReads } from '../storage/gauge-reads.js';
import { LabelCap, type LabelLimits } from './metric-labels.js';

type P = 'process_id';
type PE = 'process_id' | 'element_id';
type PEJ = 'process_id' | 'element_id' | 'job_type';

/** Options of {@link createMetrics}. */
export interface MetricsOptions extends LabelLimits {
  /**
   * Age after which an active instance without progress (no history entry) counts in
   * `baton_stuck_instances`; default `$BATON_STUCK_AFTER_MS` or one hour.
   */
  readonly stuckAfterMs?: number;
  /** Node's default process metrics (`process_cpu_…`, `nodejs_…`); default true. */
  readonly defaultMetrics?: boolean;
}

/** The metrics an engine updates and the server exposes at `GET /metrics`. */
export interface Metrics {
  /** The registry all metrics below (and the default process metrics) live in. */
  readonly registry: Registry;
  /** Maps ids to bounded label values. */
  readonly labels: LabelCap;
  readonly stuckAfterMs: number;
  readonly instancesStarted: Counter<P>;
  /** Seconds from start to end of an instance; `state` is `completed` or `cancelled`. */
  readonly instanceDuration: Histogram<P | 'state'>;
  /** Seconds from activation to completion of an element instance (steps that succeeded). */
  readonly elementDuration: Histogram<PE>;
  readonly elementsTerminated: Counter<PE>;
  readonly jobsCreated: Counter<PEJ>;
  readonly jobsCompleted: Counter<PEJ>;
  /** Every failure reported for a job (by a worker or an in-process handler). */
  readonly jobFailures: Counter<PEJ>;
  /** Failures after which the job is tried again (retries left); the others raise an incident. */
  readonly jobRetries: Counter<PEJ>;
  /** Jobs that threw a BPMN error. */
  readonly jobErrors: Counter<PEJ>;
  readonly incidentsCreated: Counter<PE | 'incident_type'>;
  readonly incidentsResolved: Counter<P>;
  /** Activities compensated (one per compensation handler run). */
  readonly compensations: Counter<P>;
  /** Escalations thrown. */
  readonly escalations: Counter<P>;
  readonly messagesPublished: Counter;
  /** Messages correlated to a waiting instance (published, thrown, or taken from the buffer). */
  readonly messagesCorrelated: Counter<P>;
  /** Published messages kept for their time to live. */
  readonly messagesBuffered: Counter;
  /** Timers fired (due and taken), by process. */
  readonly timersFired: Counter<P>;
  /** Seconds between a timer's due time and its firing. */
  readonly timerLag: Histogram<P>;
  /** Seconds a command (label `command`, e.g. `CompleteJob`) took, commit included. */
  readonly commandLatency: Histogram<'command'>;
  /** Binds the gauges read from the database at scrape time (the engine does this). */
  attach(source: { readonly reads: GaugeReads; readonly now: () => number }): void;
}

/** Creates a fresh set of metrics on a registry of its own. */
export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const stuckAfterMs = opts.stuckAfterMs ?? envMs('BATON_STUCK_AFTER_MS') ?? 3_600_000;
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });
  const pej = ['process_id', 'element_id', 'job_type'] as const;
  const labels = new LabelCap(opts);
  let source: { readonly reads: GaugeReads; readonly now: () => number } | undefined;
  // a scrape collects every metric at once: this counter waits for the gauge reads of its scrape
  // (registered after them, so they have started) to show the misses of that same scrape
  let reading: Promise<void>[] = [];
  const readErrors = new Counter({
    name: 'baton_gauge_read_errors_total',
    help: 'Database gauges that could not be read at a scrape (the database was unreachable): they are left out of it.',
    registers: [],
    async collect() {
      const pending = reading;
      reading = [];
      await Promise.all(pending);
    },
  });
  /** A gauge read from the database at scrape time; a failed read leaves it unknown and counts, the scrape goes on. */
  const dbGauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: (g: Gauge<L>, s: NonNullable<typeof source>) => Promise<void>,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        if (!source) return;
        this.reset();
        const done = read(this, source).catch(() => {
          // no series (a gauge without labels says NaN: unknown, never a made-up 0)
          this.reset();
          if (!labelNames.length) (this as unknown as Gauge).set(NaN);
          readErrors.inc();
        });
        reading.push(done);
        await done;
      },
    });
  dbGauge(
    'baton_open_incidents',
    'Incidents open now, by process (read from the database at scrape time).',
    ['process_id'],
    async (g, s) => {
      for (const r of await s.reads.openIncidents()) g.inc({ process_id: labels.process(r.processId) }, r.count);
    },
  );
  dbGauge(
    'baton_stuck_instances',
    `Active instances without progress (no history entry) for longer than ${stuckAfterMs / 1000} s, by process (read from the database at scrape time).`,
    ['process_id'],
    async (g, s) => {
      for (const r of await s.reads.stuckInstances(s.now() - stuckAfterMs))
        g.inc({ process_id: labels.process(r.processId) }, r.count);
    },
  );
  dbGauge(
    'baton_buffered_messages',
    'Published messages kept for their time to live and not yet expired (read from the database at scrape time).',
    [],
    async (g, s) => g.set(await s.reads.bufferedMessages(s.now())),
  );
  registry.registerMetric(readErrors);
  new Gauge({
    name: 'baton_stuck_after_seconds',
    help: 'The age without progress after which an instance counts in baton_stuck_instances.',
    registers,
    collect() {
      this.set(stuckAfterMs / 1000);
    },
  });
  return {
    registry,
    labels,
    stuckAfterMs,
    instancesStarted: counter('baton_instances_started_total', 'Process instances started.', ['process_id']),
    instanceDuration: histogram(
      'baton_instance_duration_seconds',
      'Seconds from the start of a process instance to its end, by process and end state (completed, cancelled).',
      ['process_id', 'state'],
      [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86400, 7 * 86400],
    ),
    elementDuration: histogram(
      'baton_element_duration_seconds',
      'Seconds from the activation of an element instance to its completion, by process and element.',
      ['process_id', 'element_id'],
      [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86400],
    ),
    elementsTerminated: counter(
      'baton_elements_terminated_total',
      'Element instances ended without completing (cancelled, interrupted by an event).',
      ['process_id', 'element_id'],
    ),
    jobsCreated: counter('baton_jobs_created_total', 'Jobs created.', pej),
    jobsCompleted: counter('baton_jobs_completed_total', 'Jobs completed.', pej),
    jobFailures: counter('baton_job_failures_total', 'Job failures reported by workers or in-process handlers.', pej),
    jobRetries: counter(
      'baton_job_retries_total',
      'Job failures after which the job is tried again (it had retries left).',
      pej,
    ),
    jobErrors: counter('baton_job_bpmn_errors_total', 'Jobs that threw a BPMN error.', pej),
    incidentsCreated: counter('baton_incidents_created_total', 'Incidents raised.', [
      'process_id',
      'element_id',
      'incident_type',
    ]),
    incidentsResolved: counter(
      'baton_incidents_resolved_total',
      'Incidents resolved (retried, or their element ended).',
      ['process_id'],
    ),
    compensations: counter('baton_compensations_total', 'Activities compensated.', ['process_id']),
    escalations: counter('baton_escalations_total', 'Escalations thrown.', ['process_id']),
    messagesPublished: counter('baton_messages_published_total', 'Messages published through the API.'),
    messagesCorrelated: counter(
      'baton_messages_correlated_total',
      'Messages correlated to a waiting instance (published, thrown by an instance, or taken from the buffer).',
      ['process_id'],
    ),
    messagesBuffered: counter(
      'baton_messages_buffered_total',
      'Published messages kept for their time to live, for instances that subscribe later.',
    ),
    timersFired: counter('baton_timers_fired_total', 'Timers that came due and fired.', ['process_id']),
    timerLag: histogram(
      'baton_timer_lag_seconds',
      'Seconds between the time a timer was due and the time it fired.',
      ['process_id'],
      [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
    ),
    commandLatency: histogram(
      'baton_command_duration_seconds',
      'Time an engine command took, including the database commit.',
      ['command'],
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    attach(s) {
      source = s;
    },
  };
}

function envMs(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`Expected ${name} to be a positive number of ms, but got ${raw}`);
  return n;
}
