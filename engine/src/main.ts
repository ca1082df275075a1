/**
 * Composition root of `baton serve`: logger → metrics → engine (SQLite) → express app → HTTP listener.
 * Tests start a real server in-process with it.
 *
 * @example
 * ```ts
 * const server = await startServer({ port: 0, dbPath: join(tmp, 'baton.db') });
 * await fetch(`${server.url}/api/health`);
 * await server.close();
 * ```
 */
import { mkdirSync } from 'node:fs';
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { openEngine, type Engine, type EngineOptions } from './runtime/engine.js';
import { parseRetention, type RetentionPolicy } from './runtime/retention.js';
import type { JobHandler } from './runtime/engine-port.js';
import { createLogger } from './runtime/logger.js';
import { createMetrics, type Metrics } from './runtime/metrics.js';
import { tracingFromEnv } from './observability/tracing-env.js';
import type { Tracing } from './observability/tracing-port.js';
import { createApp } from './server/app.js';
import { engineDriver, TestClock } from './testing/clock.js';
import type { AuthConfig } from './server/auth.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, serverTimeouts } from './server/body.js';
import { ShutdownGate } from './server/shutdown.js';
import { isPostgresUrl, openStore, type StoreOptions } from './storage/open.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /**
   * The database: a SQLite file (its folder is created when missing), `:memory:`, or a
   * `postgres://` URL (several servers may share one PostgreSQL database).
   */
  dbPath: string;
  /** In-process job handlers by job type. */
  handlers?: Record<string, JobHandler>;
  /** Default: a new stderr logger. */
  logger?: Logger;
  /** Default: a new set on a registry of its own. */
  metrics?: Metrics;
  /** OpenTelemetry tracing; default: what the `OTEL_*` environment asks for (off unless it asks). */
  tracing?: Tracing;
  /** Folder served at `/`; default the built modeler. */
  staticDir?: string;
  /** Largest request body (JSON and BPMN XML); default `1mb`. */
  bodyLimit?: string;
  /** Longest time for a request body to arrive in full, else `408 REQUEST_TIMEOUT`; default 30 s. */
  requestTimeoutMs?: number;
  /** Bearer tokens and roles; without it the API is open (see server/auth.ts). */
  auth?: AuthConfig;
  /** How long a shutdown waits for requests in flight before cutting them; default 10 s. */
  shutdownGraceMs?: number;
  /** Times to live of ended instances (`--retention`); default `BATON_RETENTION`, else kept for ever. */
  retention?: RetentionPolicy;
  /**
   * Runs the engine on a clock that only `POST /api/test/clock` moves (`--test-clock`), for tests;
   * without it that route answers 404.
   */
  testClock?: boolean;
}

/** A running server: its base URL (`http://HOST:PORT`), its engine, and how to stop both. */
export interface RunningServer {
  url: string;
  engine: Engine;
  /** The express app it serves (its routes can be listed with server/route-table.ts). */
  app: Express;
  /**
   * Graceful stop: new requests get `503 SHUTTING_DOWN`, long polls answer at once, requests in
   * flight finish (up to the grace time), then the engine flushes its last group commit and closes
   * the database.
   */
  close(): Promise<void>;
}

/** Default of {@link ServerOptions.shutdownGraceMs}. */
const CLOSE_GRACE_MS = 10_000;

/** Thrown by {@link startServer} when the port cannot be had (in use, or privileged); nothing was opened. */
export class PortUnavailableError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: 'in-use' | 'denied',
  ) {
    super(
      reason === 'in-use'
        ? `Expected port ${port} on ${host} to be free, but it is already in use`
        : `Expected to listen on port ${port} on ${host}, but the system denied it`,
    );
    this.name = 'PortUnavailableError';
  }
}

/**
 * Takes the port, then opens the engine and serves it over HTTP; resolves once the port accepts
 * connections. The port comes first so that a second server on a busy port fails before it
 * touches (or creates) a database.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger();
  const metrics = opts.metrics ?? createMetrics();
  const host = opts.host ?? '127.0.0.1';
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // assigned once the engine is open; the listener reads it before that (so not a const)
  // eslint-disable-next-line prefer-const
  let app: RequestListener | undefined;
  const server = createServer(serverTimeouts(requestTimeoutMs), (req, res) => (app ? app(req, res) : notReady(res)));
  await listen(server, opts.port ?? 8080, host);
  let engine: Engine;
  let tracing: Tracing | undefined;
  const testClock = opts.testClock ? new TestClock() : undefined;
  try {
    tracing = opts.tracing ?? (await tracingFromEnv());
    if (opts.dbPath !== ':memory:' && !isPostgresUrl(opts.dbPath))
      mkdirSync(dirname(resolve(opts.dbPath)), { recursive: true });
    const store = await openStore(opts.dbPath, { ...storeOptionsFromEnv(), logger });
    engine = await openEngine({
      store,
      logger,
      metrics,
      ...(tracing ? { tracing } : {}),
      ...engineOptionsFromEnv(),
      ...(opts.retention ? { retention: opts.retention } : {}),
      ...(testClock ? { now: testClock.now } : {}),
    });
    if (testClock) testClock.attach(engineDriver(engine));
  } catch (err) {
    await new Promise<void>((done) => server.close(() => done()));
    throw err;
  }
  for (const [type, handler] of Object.entries(opts.handlers ?? {})) engine.handle(type, handler);
  const gate = new ShutdownGate();
  let express: Express;
  try {
    express = createApp(engine, {
      metrics,
      logger,
      staticDir: opts.staticDir,
      bodyLimit: opts.bodyLimit,
      requestTimeoutMs,
      auth: opts.auth,
      gate,
      ...(testClock ? { testClock } : {}),
    });
  } catch (err) {
    await engine.close();
    await new Promise<void>((done) => server.close(() => done()));
    throw err;
  }
  app = express;
  engine.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info(
    {
      url,
      node: engine.node,
      database: engine.store.info.location,
      auth: opts.auth ? `${opts.auth.size} tokens, ${opts.auth.clients} clients` : 'off',
      tracing: tracing ? 'on' : 'off',
    },
    'server listening',
  );
  let closing: Promise<void> | undefined;
  const graceMs = opts.shutdownGraceMs ?? CLOSE_GRACE_MS;
  return {
    url,
    engine,
    app: express,
    close: () =>
      (closing ??= shutDown(server, gate, engine, logger, graceMs).then(async () => {
        await tracing?.shutdown();
      })),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new PortUnavailableError(host, port, 'in-use'));
      else if (err.code === 'EACCES') reject(new PortUnavailableError(host, port, 'denied'));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
}

/** The answer to a request that arrives while the database is still being opened. */
function notReady(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(
    JSON.stringify({
      error: { code: 'STARTING', message: 'Expected the server to be ready, but it is still opening its database' },
    }),
  );
}

async function shutDown(
  server: Server,
  gate: ShutdownGate,
  engine: Engine,
  logger: Logger,
  graceMs: number,
): Promise<void> {
  logger.info({ inFlight: gate.active }, 'shutting down: refusing new requests, finishing those in flight');
  gate.onRequestEnd = () => setImmediate(() => server.closeIdleConnections());
  gate.drain();
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  const finished = await gate.idle(graceMs);
  if (!finished)
    logger.warn({ inFlight: gate.active, graceMs }, 'shutdown grace time over: cutting the requests still running');
  server.closeAllConnections();
  await closed;
  await engine.close();
  logger.info('server stopped');
}

/** Store options from the environment: `BATON_SYNCHRONOUS` (SQLite: GROUP, FULL or NORMAL), `BATON_PG_POOL_SIZE`. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<StoreOptions, 'logger'> {
  const sync = env['BATON_SYNCHRONOUS']?.toUpperCase();
  if (sync && !['GROUP', 'FULL', 'NORMAL'].includes(sync))
    throw new Error(`Expected BATON_SYNCHRONOUS to be GROUP, FULL or NORMAL, but got ${sync}`);
  const pool = env['BATON_PG_POOL_SIZE'];
  return {
    ...(sync ? { synchronous: sync as 'GROUP' | 'FULL' | 'NORMAL' } : {}),
    ...(pool ? { poolSize: positive('BATON_PG_POOL_SIZE', pool) } : {}),
  };
}

/**
 * Engine limits from the environment: `BATON_MAX_STATE_BYTES`, `BATON_MAX_HISTORY`, `BATON_JOB_LEASE_MS`,
 * `BATON_RETENTION` (see runtime/retention.ts), `BATON_BATCH_CHUNK`, `BATON_MAX_BATCH_ITEMS` (budgets:
 * see runtime/budget-options.ts).
 */
export function engineOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<EngineOptions> {
  const read = (name: string) => (env[name] ? positive(name, env[name]!) : undefined);
  const maxStateBytes = read('BATON_MAX_STATE_BYTES');
  const maxHistory = read('BATON_MAX_HISTORY');
  const jobLeaseMs = read('BATON_JOB_LEASE_MS');
  const batchChunk = read('BATON_BATCH_CHUNK');
  const maxBatchItems = read('BATON_MAX_BATCH_ITEMS');
  const retention = env['BATON_RETENTION']?.trim() ? parseRetention(env['BATON_RETENTION']) : undefined;
  return {
    ...(maxStateBytes ? { maxStateBytes } : {}),
    ...(maxHistory ? { maxHistory } : {}),
    ...(jobLeaseMs ? { jobLeaseMs } : {}),
    ...(batchChunk ? { batchChunk } : {}),
    ...(maxBatchItems ? { maxBatchItems } : {}),
    ...(retention ? { retention } : {}),
  };
}

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Expected ${name} to be a positive integer, but got ${raw}`);
  return n;
}
