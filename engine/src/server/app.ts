/**
 * The HTTP face of the engine: an express 5 app serving the REST API of the contract under `/api`,
 * Prometheus metrics at `/metrics` and the web modeler at `/`. It is deliberately thin: routes check
 * input, call one {@link EnginePort} method and send its answer; every failure becomes
 * `{"error": {"code", "message", "details"}}` (see ./http-errors.ts).
 *
 * @example
 * ```ts
 * const app = createApp(engine, { metrics, logger });
 * app.listen(8080, '127.0.0.1');
 * ```
 */
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { EnginePort } from '../runtime/engine-port.js';
import { createLogger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';
import { authenticate, type AuthConfig } from './auth.js';
import { errorHandler, unknownRoute } from './http-errors.js';
import { consoleRoutes } from './routes/console.js';
import { deploymentRoutes } from './routes/deployments.js';
import { incidentRoutes } from './routes/incidents.js';
import { instanceRoutes } from './routes/instances.js';
import { jobRoutes } from './routes/jobs.js';
import { messageRoutes } from './routes/messages.js';
import { healthRoutes, metricsRoutes, staticRoutes } from './routes/ops.js';
import { userTaskRoutes } from './routes/user-tasks.js';
import type { ShutdownGate } from './shutdown.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Exposed at `GET /metrics`; without it that path answers 404. */
  metrics?: Metrics;
  /** Request log (debug) and error log; default a new stderr logger. */
  logger?: Logger;
  /** Largest accepted request body, as an express size string; default `1mb`. */
  bodyLimit?: string;
  /** Folder served at `/`; default `modeler/dist` of the repository. */
  staticDir?: string;
  /** Bearer tokens and roles (see ./auth.ts); without it the API is open. */
  auth?: AuthConfig;
  /** Refuses new requests while the server shuts down (see ./shutdown.ts). */
  gate?: ShutdownGate;
}

/** Where `npm run build` puts the web modeler. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../modeler/dist', import.meta.url));

/** Builds the express app for `engine`. */
export function createApp(engine: EnginePort, opts: AppOptions = {}): Express {
  const log = opts.logger ?? createLogger();
  const bodyLimit = opts.bodyLimit ?? '1mb';
  const app = express();
  app.disable('x-powered-by');
  if (opts.gate) app.use(opts.gate.middleware());
  app.use(requestLog(log));

  const api = express.Router();
  api.use(healthRoutes(engine));
  // Access control runs before any body is read, so a caller without a token costs nothing.
  if (opts.auth) api.use(authenticate(opts.auth));
  api.use(deploymentRoutes(engine, { bodyLimit }));
  // JSON in: any content type is read as JSON (clients such as curl -d default to a form type).
  api.use(express.json({ type: () => true, limit: bodyLimit }));
  api.use(instanceRoutes(engine));
  api.use(messageRoutes(engine));
  api.use(userTaskRoutes(engine));
  api.use(jobRoutes(engine, opts.gate));
  api.use(incidentRoutes(engine));
  api.use('/console', consoleRoutes(engine));
  api.use(unknownRoute);
  app.use('/api', api);

  if (opts.auth) app.use('/metrics', authenticate(opts.auth));
  app.use(metricsRoutes(opts.metrics));
  app.use(staticRoutes(opts.staticDir ?? DEFAULT_STATIC_DIR));
  app.use(unknownRoute);
  app.use(errorHandler(log));
  return app;
}

/** Logs every answered request at debug level: method, path, status, milliseconds. */
function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug(
        { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
