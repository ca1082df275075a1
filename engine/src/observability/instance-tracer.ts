/**
 * The tracing side of a committed command (see ./tracing.ts for the OpenTelemetry implementation):
 * gets every command of every instance after its commit, turns element instances into spans.
 */
import type { CommandRecord } from '../runtime/observe.js';

export interface InstanceTracer {
  /** A command on an instance committed: end the spans of what ended, open those of what started. */
  command(r: CommandRecord): void;
}
