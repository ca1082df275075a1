/**
 * `baton serve` as a child process that tests can SIGKILL and start again on the same SQLite file,
 * plus an HTTP client that rides over the restarts (it retries while the server is down).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'baton.mjs');

/**
 * What the drivers and checks need of the engine under test: a base URL to send a request to (empty
 * while nothing is up), and a way to kill and start it again.
 */
export interface Servers {
  readonly url: string;
  start(): Promise<string>;
  /** SIGKILL (of one node, for a cluster), and wait until the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link ServerProcess}. */
export interface ServerProcessOptions {
  /** SQLite file kept across restarts, or a `postgres://` URL. */
  readonly dbPath: string;
  /** `--handlers` module. */
  readonly handlers?: string;
  /** Extra environment for the server (e.g. where the handlers write their sink). */
  readonly env?: Record<string, string>;
  /** Called with each chunk of the server's standard error (logs). */
  readonly onStderr?: (chunk: string) => void;
}

/** One `baton serve` at a time on a fixed database file; `url` changes with each start (port 0). */
export class ServerProcess implements Servers {
  private child: ChildProcess | undefined;
  private current = '';
  /** Times the server was started. */
  starts = 0;

  constructor(private readonly opts: ServerProcessOptions) {}

  /** Process id of the running server, undefined while it is down. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Base URL of the running server, '' while it is down. */
  get url(): string {
    return this.current;
  }

  /** Starts `baton serve --port 0` and resolves once it printed its `listening on` line. */
  async start(): Promise<string> {
    if (this.child) throw new Error('the server is already running');
    const args = [BIN, 'serve', '--port', '0', '--db', this.opts.dbPath];
    if (this.opts.handlers) args.push('--handlers', this.opts.handlers);
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, BATON_LOG_LEVEL: process.env.BATON_LOG_LEVEL ?? 'error', ...this.opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      const s = c.toString();
      if (err.length < 20_000) err += s;
      this.opts.onStderr?.(s);
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`baton serve exited (${code ?? signal}) before listening: ${err.slice(-4000)}`)),
      );
    });
    child.once('exit', () => {
      if (this.child === child) {
        this.child = undefined;
        this.current = '';
      }
    });
    this.current = url;
    return url;
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.current = '';
    this.child = undefined;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    else return;
    await gone;
  }

  /** Graceful stop (SIGTERM), for the end of a test. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.current = '';
    this.child = undefined;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * Several `baton serve` nodes on one PostgreSQL database. Each request goes to the next live node in
 * turn; `kill` SIGKILLs one live node (chosen by `pick`), `start` starts every node that is down.
 */
export class ClusterProcess implements Servers {
  readonly nodes: ServerProcess[];
  private turn = 0;

  constructor(
    opts: ServerProcessOptions,
    size: number,
    private readonly pick: () => number = Math.random,
  ) {
    this.nodes = Array.from({ length: size }, () => new ServerProcess(opts));
  }

  get url(): string {
    const live = this.nodes.filter((n) => n.url);
    if (!live.length) return '';
    return live[this.turn++ % live.length]!.url;
  }

  /** Times nodes were started, all nodes together. */
  get starts(): number {
    return this.nodes.reduce((n, s) => n + s.starts, 0);
  }

  async start(): Promise<string> {
    await Promise.all(this.nodes.filter((n) => !n.url).map((n) => n.start()));
    return this.url;
  }

  async kill(): Promise<void> {
    const live = this.nodes.filter((n) => n.url);
    if (!live.length) return;
    await live[Math.floor(this.pick() * live.length)]!.kill();
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}

/** An HTTP answer. */
export interface Reply {
  readonly status: number;
  readonly body: any;
}

/** Thrown when a request could not reach the server (down, killed mid-request). */
export class UnreachableError extends Error {}

/**
 * One request to the server as it is now. Connection failures (the server is down or was killed
 * during the request) throw {@link UnreachableError}; any HTTP answer is returned.
 */
export async function request(
  server: Servers,
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const base = server.url;
  if (!base) throw new UnreachableError('the server is down');
  let res: Response;
  let text: string;
  try {
    res = await fetch(base + path, {
      method,
      headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(json !== undefined ? { body: typeof json === 'string' ? json : JSON.stringify(json) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    text = await res.text();
  } catch (err) {
    throw new UnreachableError(`${method} ${path}: ${(err as Error).message}`);
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** Deploys a BPMN document (retried over restarts); returns the answer (200 or 201 expected). */
export async function deploy(server: Servers, xml: string, timeoutMs = 60_000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (!server.url) throw new Error('the server is down');
      const res = await fetch(`${server.url}/api/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: xml,
      });
      const body = await res.json();
      if (res.status < 500) return { status: res.status, body };
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Like {@link request} but retried until the server answers with something other than a 5xx
 * (a 503 while shutting down, or a connection error while it restarts). Gives up after `timeoutMs`.
 */
export async function call(
  server: Servers,
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await request(server, method, path, json, headers);
      if (r.status < 500) return r;
      if (Date.now() > deadline) return r;
    } catch (err) {
      if (!(err instanceof UnreachableError) || Date.now() > deadline) throw err;
    }
    await sleep(50);
  }
}

/** The most instances one `GET /api/instances` answers (the server refuses a larger `limit`). */
const PAGE = 1000;

/**
 * Every instance matching `query` (such as `processId=torture`), read page by page. Newer instances
 * come first, so one started meanwhile shifts the pages: an instance seen twice is kept once, and
 * none is missed as long as `query` does not filter on something that changes (like `status`).
 */
export async function listInstances(server: Servers, query: string, send: typeof request = call): Promise<any[]> {
  const byId = new Map<string, any>();
  for (let offset = 0; ; offset += PAGE) {
    const r = await send(server, 'GET', `/api/instances?${query}&limit=${PAGE}&offset=${offset}`);
    if (r.status !== 200) throw new Error(`GET /api/instances?${query}: ${r.status} ${JSON.stringify(r.body)}`);
    for (const item of r.body.items) byId.set(item.id, item);
    if (r.body.items.length < PAGE) return [...byId.values()];
  }
}
