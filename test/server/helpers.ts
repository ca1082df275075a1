/**
 * Helpers for the HTTP tests: a real server (real engine, SQLite file in a temp folder) on a free
 * port, a small fetch wrapper and a poller. No part of the engine is mocked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../engine/src/main.js';
import type { JobHandler } from '../../engine/src/runtime/engine-port.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import type { Metrics } from '../../engine/src/runtime/metrics.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The text of a file under test/fixtures/. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** An HTTP answer: status, parsed JSON body (or undefined) and raw text. */
export interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** Request options of {@link TestServer.call}. */
export interface CallOptions {
  /** Sent as JSON (content type application/json). */
  json?: unknown;
  /** Sent as is, with `contentType` (default application/json) unless it is null. */
  raw?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** A started server plus helpers bound to it. */
export interface TestServer {
  server: RunningServer;
  url: string;
  dir: string;
  call(method: string, path: string, opts?: CallOptions): Promise<Answer>;
  /** Deploys a fixture and returns the deployment (asserting 200/201). */
  deploy(name: string): Promise<{ id: string; processes: { processId: string; version: number }[] }>;
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  handlers?: Record<string, JobHandler>;
  bodyLimit?: string;
  staticDir?: string;
  /** The engine's metrics (default: a fresh set). */
  metrics?: Metrics;
  /** The database (default: a fresh SQLite file in the server's temp folder), e.g. a PostgreSQL URL. */
  dbPath?: string;
}

/** Starts a server on port 0 with a fresh SQLite file; logs are silent unless BATON_LOG_LEVEL says otherwise. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-server-test-'));
  const server = await startServer({
    port: 0,
    dbPath: opts.dbPath ?? join(dir, 'baton.db'),
    logger: createLogger({ level: process.env.BATON_LOG_LEVEL ?? 'silent' }),
    handlers: opts.handlers,
    bodyLimit: opts.bodyLimit,
    metrics: opts.metrics,
    staticDir: opts.staticDir ?? join(dir, 'static'),
  });
  const call = (method: string, path: string, o: CallOptions = {}) => request(server.url, method, path, o);
  return {
    server,
    url: server.url,
    dir,
    call,
    async deploy(name) {
      const answer = await call('POST', '/api/deployments', { raw: fixture(name), contentType: 'application/xml' });
      if (answer.status !== 201 && answer.status !== 200)
        throw new Error(`deploy ${name}: ${answer.status} ${answer.text}`);
      return answer.body;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One HTTP request against `base`. */
export async function request(base: string, method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  } else if (opts.raw !== undefined) {
    body = opts.raw;
    if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Polls `probe` every 20 ms until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asserts the contract's error shape and returns the error object. */
/** Activates one job of `type` through `POST /api/jobs/activate`, waiting until there is one. */
export async function takeJob(t: TestServer, type: string): Promise<any> {
  return waitFor(
    `a ${type} job`,
    async () =>
      ((await t.call('POST', '/api/jobs/activate', { json: { type, maxJobs: 1 } })).body as { jobs: unknown[] })
        .jobs[0],
  );
}

export function errorOf(answer: Answer): { code: string; message: string; details: unknown[] } {
  const error = answer.body?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || !Array.isArray(error.details)) {
    throw new Error(`not an error body (status ${answer.status}): ${answer.text.slice(0, 300)}`);
  }
  return error;
}

/** Options of {@link rawRequest}. */
export interface RawOptions {
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP request sent exactly as given: unlike fetch, node:http does not normalise the path, so
 * double slashes, dot segments and percent-encodings reach the server untouched.
 */
export function rawRequest(base: string, method: string, path: string, opts: RawOptions = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...opts.headers,
          ...(opts.body === undefined ? {} : { 'content-length': Buffer.byteLength(opts.body) }),
        },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === 'string') headers.set(name, value);
          resolve({ status: res.statusCode ?? 0, body: parsed, text, headers });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
