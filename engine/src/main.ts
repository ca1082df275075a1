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
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { openEngine, type Engine } from './runtime/engine.js';
import type { JobHandler } from './runtime/engine-port.js';
import { createLogger } from './runtime/logger.js';
import { createMetrics, type Metrics } from './runtime/metrics.js';
import { createApp } from './server/app.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** SQLite file (its folder is created when missing) or `:memory:`. */
  dbPath: string;
  /** In-process job handlers by job type. */
  handlers?: Record<string, JobHandler>;
  /** Default: a new stderr logger. */
  logger?: Logger;
  /** Default: a new set on a registry of its own. */
  metrics?: Metrics;
  /** Folder served at `/`; default the built modeler. */
  staticDir?: string;
  /** Largest request body; default `1mb`. */
  bodyLimit?: string;
}

/** A running server: its base URL (`http://HOST:PORT`), its engine, and how to stop both. */
export interface RunningServer {
  url: string;
  engine: Engine;
  /** Stops accepting connections, lets running requests finish (briefly), then closes the engine. */
  close(): Promise<void>;
}

/** How long {@link RunningServer.close} waits for requests in flight (long polls) before cutting them. */
const CLOSE_GRACE_MS = 2_000;

/** Opens the engine and serves it over HTTP; resolves once the port accepts connections. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger();
  const metrics = opts.metrics ?? createMetrics();
  const host = opts.host ?? '127.0.0.1';
  if (opts.dbPath !== ':memory:') mkdirSync(dirname(resolve(opts.dbPath)), { recursive: true });
  const engine = await openEngine({ dbPath: opts.dbPath, logger, metrics });
  for (const [type, handler] of Object.entries(opts.handlers ?? {})) engine.handle(type, handler);
  const app = createApp(engine, { metrics, logger, staticDir: opts.staticDir, bodyLimit: opts.bodyLimit });
  const server = createServer(app);
  try {
    await listen(server, opts.port ?? 8080, host);
  } catch (err) {
    await engine.close();
    throw err;
  }
  engine.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, dbPath: opts.dbPath }, 'server listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    engine,
    close: () => (closing ??= shutDown(server, engine, logger)),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
}

async function shutDown(server: Server, engine: Engine, logger: Logger): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
  await closed;
  clearTimeout(grace);
  await engine.close();
  logger.info('server stopped');
}
