/**
 * The engine's structured logger: pino writing JSON lines to standard error, because standard output
 * belongs to the `listening on …` line and to CLI answers. The engine derives child loggers that carry
 * `instanceId`, `elementId` or `jobKey`, so one instance's story can be grepped out of the log.
 *
 * @example
 * ```ts
 * const log = createLogger({ level: 'debug' });
 * log.child({ instanceId }).info({ elementId }, 'element activated');
 * ```
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level (`fatal`…`trace`, or `silent`); default `$BATON_LOG_LEVEL` or `info`. */
  level?: string;
  /** Where the JSON lines go; default standard error (written synchronously, so nothing is lost on exit). */
  destination?: DestinationStream;
}

/** Creates the root logger. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.BATON_LOG_LEVEL ?? 'info';
  const destination = opts.destination ?? pino.destination({ dest: 2, sync: true });
  return pino({ level, base: { name: 'baton' } }, destination);
}
