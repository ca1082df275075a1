/**
 * The HTTP face of the engine: an express 5 app serving the REST API of the contract under `/api`,
 * Prometheus metrics at `/metrics` and the web modeler at `/`. It is deliberately thin: routes check
 * input, call one {@link EnginePort} method and send its answer; every failure becomes
 * `{"error": {"code", "message", "details"}}` (see ./http-errors.ts). Each route declares the role
 * it needs where it is registered (./guarded-router.ts); a route without one stops the app from
 * being built (./route-table.ts).
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
import type { AuthConfig } from './auth.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './body.js';
import { GuardedRouter, type GuardedRouterOptions } from './guarded-router.js';
import { errorHandler } from './http-errors.js';
import { oauthRoutes } from './oauth.js';
import { openApiDocument } from './openapi.js';
import { BATON_VERSION } from './version.js';
import { assertEveryRouteGuarded } from './route-table.js';
import { consoleRoutes } from './routes/console.js';
import { decisionRoutes } from './routes/decisions.js';
import { deploymentRoutes } from './routes/deployments.js';
import { incidentRoutes } from './routes/incidents.js';
import { instanceRoutes } from './routes/instances.js';
import { jobRoutes } from './routes/jobs.js';
import { messageRoutes } from './routes/messages.js';
import { healthRoutes, metricsRoutes, staticRoutes } from './routes/ops.js';
import { userTaskRoutes } from './routes/user-tasks.js';
import { batchRoutes } from './routes/batches.js';
import { operationRoutes } from './routes/operations.js';
import { testClockRoutes } from './routes/test-clock.js';
import type { TestClock } from '../testing/clock.js';
import type { ShutdownGate } from './shutdown.js';
import { mountV2 } from './v2/index.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Exposed at `GET /metrics`; without it that path answers 404. */
  metrics?: Metrics;
  /** Request log (debug) and error log; default a new stderr logger. */
  logger?: Logger;
  /** Largest accepted request body, as an express size string; default `1mb`. */
  bodyLimit?: string;
  /** Longest time for a request body to arrive in full (ms), else `408`; default 30 s. */
  requestTimeoutMs?: number;
  /** Folder served at `/`; default `modeler/dist` of the repository. */
  staticDir?: string;
  /** Bearer tokens and roles (see ./auth.ts); without it the API is open. */
  auth?: AuthConfig;
  /** Refuses new requests while the server shuts down (see ./shutdown.ts). */
  gate?: ShutdownGate;
  /** The engine's clock when it is a test clock (`--test-clock`): `POST /api/test/clock` moves it. */
  testClock?: TestClock;
}

/** Where `npm run build` puts the web modeler. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../modeler/dist', import.meta.url));

/**
 * Builds the express app for `engine`. Every route is registered on a {@link GuardedRouter} with the
 * role it needs; the app is checked for a route without one before it is returned.
 */
export function createApp(engine: EnginePort, opts: AppOptions = {}): Express {
  const log = opts.logger ?? createLogger();
  const routing: GuardedRouterOptions = {
    auth: opts.auth,
    bodyLimit: opts.bodyLimit ?? '1mb',
    requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
  const app = express();
  app.disable('x-powered-by');
  // answers of the API are not cached: hashing every body for an ETag was a measurable part of a start (bench (f))
  app.set('etag', false);
  if (opts.gate) app.use(opts.gate.middleware());
  app.use(requestLog(log));

  const api = new GuardedRouter(routing);
  healthRoutes(api, engine);
  deploymentRoutes(api, engine);
  decisionRoutes(api, engine);
  instanceRoutes(api, engine);
  messageRoutes(api, engine);
  userTaskRoutes(api, engine);
  jobRoutes(api, engine, opts.gate);
  incidentRoutes(api, engine);
  consoleRoutes(api, engine);
  operationRoutes(api, engine);
  batchRoutes(api, engine);
  testClockRoutes(api, opts.testClock);
  api.get('/openapi.json', 'viewer', (req, res) => {
    res.json(openApiDocument(req.app as Express, BATON_VERSION));
  });
  api.mount(app, '/api');
  mountV2(app, engine, routing, { logger: log, ...(opts.gate ? { gate: opts.gate } : {}) });

  const root = new GuardedRouter(routing);
  oauthRoutes(root, opts.auth);
  metricsRoutes(root, opts.metrics);
  staticRoutes(root, opts.staticDir ?? DEFAULT_STATIC_DIR);
  // last: what no route and no file answered is refused there (401 without a valid token, else 404)
  root.mount(app, '/');

  app.use(errorHandler(log));
  assertEveryRouteGuarded(app);
  return app;
}
/** Logs every answered request at debug level: method, path, status, milliseconds. */
function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!log.isLevelEnabled('debug')) {
      next();
      return;
    }
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
