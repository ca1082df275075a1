/**
 * Prometheus metrics of one engine: counters for the instance, job and incident life cycle and a
 * histogram of command latency. Each call creates its own {@link Registry}, so several engines (or
 * tests) in one process never share or double-register metrics.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * metrics.instancesStarted.inc();
 * const end = metrics.commandLatency.startTimer({ command: 'start-instance' }); ...; end();
 * res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
 * ```
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics an engine updates and the server exposes at `GET /metrics`. */
export interface Metrics {
  /** The registry all metrics below (and the default process metrics) live in. */
  readonly registry: Registry;
  readonly instancesStarted: Counter;
  readonly instancesCompleted: Counter;
  readonly instancesCancelled: Counter;
  readonly jobsCreated: Counter;
  readonly jobsCompleted: Counter;
  readonly jobsFailed: Counter;
  readonly incidentsCreated: Counter;
  /** Seconds a command (label `command`, e.g. `complete-job`) took, commit included. */
  readonly commandLatency: Histogram<'command'>;
}

/** Creates a fresh set of metrics on a registry of its own, with Node's default process metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string): Counter => new Counter({ name, help, registers: [registry] });
  return {
    registry,
    instancesStarted: counter('baton_instances_started_total', 'Process instances started.'),
    instancesCompleted: counter('baton_instances_completed_total', 'Process instances completed.'),
    instancesCancelled: counter('baton_instances_cancelled_total', 'Process instances cancelled.'),
    jobsCreated: counter('baton_jobs_created_total', 'Jobs created.'),
    jobsCompleted: counter('baton_jobs_completed_total', 'Jobs completed.'),
    jobsFailed: counter('baton_jobs_failed_total', 'Job failures reported (by workers or in-process handlers).'),
    incidentsCreated: counter('baton_incidents_created_total', 'Incidents created.'),
    commandLatency: new Histogram({
      name: 'baton_command_duration_seconds',
      help: 'Time an engine command took, including the database commit.',
      labelNames: ['command'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
