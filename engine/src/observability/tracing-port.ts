/**
 * What the runtime knows of tracing: interfaces only, so that nothing of OpenTelemetry is loaded
 * while tracing is off (the default). ./otel-tracing.ts implements them; ./tracing-env.ts loads
 * that implementation lazily when the standard `OTEL_*` environment asks for traces.
 */
import type { CommandRecord } from '../runtime/observe.js';

/** Element instances and instances as spans, from the commands that ended them. */
export interface InstanceTracer {
  /** A command on an instance committed: record the spans of what it ended. */
  command(r: CommandRecord): void;
}

/** A span of one engine command, ended once the command is answered. */
export interface CommandSpan {
  end(error?: unknown): void;
}

/** Tracing as the engine uses it (EngineOptions.tracing). */
export interface Tracing {
  readonly instances: InstanceTracer;
  /** Starts the span of an engine command (StartInstance, CompleteJob, …). */
  startCommand(command: string): CommandSpan;
  /**
   * Headers a new job carries so that a worker's spans join the trace of its instance: a W3C
   * `traceparent` naming the span of the job's element instance.
   */
  jobHeaders(instanceId: string, startedAt: number, elementKey: string): Record<string, string>;
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
}
