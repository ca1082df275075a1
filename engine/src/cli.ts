/**
 * The `baton` command line (see bin/baton.mjs): `serve`, `deploy` and `run`, as fixed by the contract,
 * and `backup` (a consistent copy of a live SQLite database).
 *
 * Standard output carries only the answer (the `listening on …` line, JSON); logs and errors go to
 * standard error. Exit codes: 0 success, 1 failure (for `run`: an incident or error), 2 bad usage,
 * 3 `run` ended with the instance still waiting for outside input. The engine is loaded only by
 * the commands that run it, so `deploy` and `--help` start fast.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadHandlers } from './handlers-module.js';
import { EngineError } from './runtime/api-types.js';
import { BudgetConfigError } from './runtime/budget-options.js';

const USAGE = `Usage:
  baton serve [--port 8080] [--host 127.0.0.1] [--db ./data/baton.db] [--handlers FILE]
              [--auth FILE] [--body-limit 1mb] [--request-timeout-ms 30000] [--retention P30D]
              [--test-clock]
        Run the engine with its REST API (/api), metrics (/metrics) and web modeler (/).
        --db ($BATON_DB): a SQLite file (one server per file), :memory: (keeps nothing), or a
        postgres://user@host:5432/db URL (any number of servers on one database, docs/scale-out.md).
        --port 0 picks a free port.
        --auth FILE ($BATON_AUTH_FILE): bearer tokens and roles, see docs/security.md.
        --body-limit ($BATON_BODY_LIMIT): largest request body, JSON or BPMN XML (default 1mb).
        --request-timeout-ms ($BATON_REQUEST_TIMEOUT_MS): time for a request body to arrive (default 30000).
        --retention ($BATON_RETENTION): delete completed and cancelled instances this long after they
          ended: P30D for every process, and/or processId=P7D or processId=off, comma-separated.
        --test-clock: for tests only. The engine's clock stands still and POST /api/test/clock
          reads it, advances it ({"advance":"P7D"}, firing every timer due on the way) or sets it
          (docs/testing.md); without the flag that route answers 404.
        SIGTERM/SIGINT stop it gracefully (requests in flight finish, the database is closed).
  baton deploy FILE.bpmn... [FILE.dmn...] [FILE.form...] [--together] [--url http://127.0.0.1:8080]
        Deploy BPMN, DMN (.dmn) and form (.form) files to a running server, one deployment per
        file (--together: all in one) and print its answers as JSON.
  baton backup FILE [--db ./data/baton.db]
        Copy the SQLite database, also while baton serve runs on it, to FILE (which must not exist),
        check the copy and print what it holds as JSON. PostgreSQL: use pg_dump (docs/operations.md).
  baton run FILE.bpmn [--vars JSON] [--handlers FILE] [--db :memory:]
        Deploy and start one instance in-process, run it as far as it goes and print it with its
        history as JSON. Exit 0 completed, 3 still waiting, 1 incident or error.

--handlers FILE: a JS/TS module whose default export maps job types to async (job) => variables.
Log level: $BATON_LOG_LEVEL (serve: info, run: warn).
Budgets of one command: $BATON_MAX_STEPS, $BATON_MAX_NEW_ELEMENTS, $BATON_MAX_TOKENS,
$BATON_MAX_CALL_DEPTH, $BATON_MAX_CPU_MS (see docs/reliability.md).
`;

/** A mistake in the command line: usage is printed and the exit code is 2. */
class UsageError extends Error {}

/** A failure told in one line, without a stack (the user can act on the message); exit code 1. */
class CommandError extends Error {}

/**
 * Storage failures the user acts on from their message alone (another engine holds the SQLite
 * file, a newer release wrote the database, the database cannot be reached): told in one line. By
 * name, so that `deploy` and `--help` do not load the storage code.
 */
const ONE_LINE_ERRORS = new Set(['DatabaseLockedError', 'SchemaTooNewError', 'StoreUnavailableError']);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** An express (bytes) size: `512kb`, `1mb`, `1048576`. */
const SIZE_PATTERN = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

async function serve(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    {
      port: 'string',
      host: 'string',
      db: 'string',
      handlers: 'string',
      auth: 'string',
      'body-limit': 'string',
      'request-timeout-ms': 'string',
      retention: 'string',
      'test-clock': 'boolean',
    },
    false,
  );
  const port = Number(values.port ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0…65535, not '${values.port}'`);
  const host = values.host ?? '127.0.0.1';
  const bodyLimit = values['body-limit'] ?? (process.env.BATON_BODY_LIMIT || undefined);
  if (bodyLimit !== undefined && !SIZE_PATTERN.test(bodyLimit))
    throw new UsageError(`--body-limit must be a size such as 512kb or 1mb, not '${bodyLimit}'`);
  const requestTimeoutMs = positiveMs(
    values['request-timeout-ms'] ?? (process.env.BATON_REQUEST_TIMEOUT_MS || undefined),
  );
  const retentionText = values.retention ?? (process.env.BATON_RETENTION || undefined);
  let retention: import('./runtime/retention.js').RetentionPolicy | undefined;
  if (retentionText !== undefined) {
    const { parseRetention, RetentionConfigError } = await import('./runtime/retention.js');
    try {
      retention = parseRetention(retentionText);
    } catch (err) {
      if (err instanceof RetentionConfigError) throw new UsageError(`--retention: ${err.message}`);
      throw err;
    }
  }
  const authFile = values.auth ?? (process.env.BATON_AUTH_FILE || undefined);
  let auth: import('./server/auth.js').AuthConfig | undefined;
  if (authFile) {
    const { loadAuthFile, AuthFileError } = await import('./server/auth.js');
    try {
      auth = loadAuthFile(authFile);
    } catch (err) {
      if (err instanceof AuthFileError) throw new UsageError(`--auth: ${err.message}`);
      throw err;
    }
  }
  if (!auth && !LOOPBACK.has(host) && !host.startsWith('127.')) {
    process.stderr.write(
      `warning: listening on ${host}, not a loopback address, without --auth: anyone who can reach it can deploy, start and cancel.\n`,
    );
  }
  const stopRequested = stopSignal();
  const handlers = values.handlers ? await loadHandlers(values.handlers) : undefined;
  const { startServer, PortUnavailableError } = await import('./main.js');
  const dbPath = values.db ?? (process.env.BATON_DB || './data/baton.db');
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      port,
      host,
      dbPath,
      handlers,
      auth,
      bodyLimit,
      requestTimeoutMs,
      retention,
      testClock: values['test-clock'] === true,
    });
  } catch (err) {
    if (!(err instanceof PortUnavailableError)) throw err;
    throw new CommandError(
      err.reason === 'in-use'
        ? `port ${port} on ${host} is already in use (is another baton serve running?); choose another with --port, e.g. npm start -- --port ${port + 1}`
        : `port ${port} on ${host} needs privileges this user lacks; choose one above 1023 with --port, e.g. npm start -- --port 8080`,
    );
  }
  process.stdout.write(`listening on ${server.url}\n`);
  await stopRequested;
  try {
    await server.close();
    return 0;
  } catch (err) {
    process.stderr.write(`error while stopping: ${String(err)}\n`);
    return 1;
  }
}

/** `--request-timeout-ms`: whole milliseconds from 100 to 1 hour, or undefined for the default. */
function positiveMs(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(ms >= 100 && ms <= 3_600_000))
    throw new UsageError(`--request-timeout-ms must be whole milliseconds from 100 to 3600000, not '${raw}'`);
  return ms;
}

/**
 * Resolves on the first SIGTERM or SIGINT (also one that arrives while the server is starting); a
 * second signal exits 1 at once.
 */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = () => {
      if (received) process.exit(1);
      received = true;
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

async function deploy(args: string[]): Promise<number> {
  const together = args.includes('--together');
  const { values, positionals } = parse(
    args.filter((a) => a !== '--together'),
    { url: 'string' },
    true,
  );
  if (positionals.length === 0) throw new UsageError('deploy needs at least one BPMN, DMN or form file');
  const base = (values.url ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const answers: unknown[] = [];
  let code = 0;
  for (const files of together ? [positionals] : positionals.map((f) => [f])) {
    const outcome = await deployFiles(base, files);
    if ('error' in outcome) {
      process.stderr.write(`baton deploy: ${files.join(', ')}: ${outcome.error}\n`);
      code = 1;
      break;
    }
    answers.push(outcome.answer);
  }
  process.stdout.write(`${JSON.stringify(answers, null, 2)}\n`);
  return code;
}

/** Deploys `files` as one deployment, each resource named after its file. */
async function deployFiles(base: string, files: string[]): Promise<{ answer: unknown } | { error: string }> {
  const resources: { name: string; content: string }[] = [];
  try {
    for (const file of files) resources.push({ name: basename(file), content: readFileSync(file, 'utf8') });
  } catch (err) {
    return { error: (err as Error).message };
  }
  let res: Response;
  try {
    res = await fetch(`${base}/api/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resources }),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { error: `cannot reach ${base}: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
  }
  if (!res.ok) return { error: describeErrorBody(res.status, body) };
  const file = files.length === 1 ? { file: files[0] } : { files };
  return { answer: { ...file, status: res.status, created: res.status === 201, ...(body as object) } };
}

function describeErrorBody(status: number, body: unknown): string {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown[] } }).error;
  if (!error) return `HTTP ${status}: ${JSON.stringify(body)}`;
  const details = (error.details ?? []).map((d) => `\n  ${JSON.stringify(d)}`).join('');
  return `${error.code ?? status}: ${error.message ?? ''}${details}`;
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { vars: 'string', handlers: 'string', db: 'string' }, true);
  if (positionals.length !== 1) throw new UsageError('run needs exactly one BPMN file');
  const variables = parseVars(values.vars);
  const handlers = values.handlers ? await loadHandlers(values.handlers) : {};
  const xml = readFileSync(positionals[0]!, 'utf8');
  const [{ openEngine }, { createLogger }] = await Promise.all([
    import('./runtime/engine.js'),
    import('./runtime/logger.js'),
  ]);
  const logger = createLogger({ level: process.env.BATON_LOG_LEVEL ?? 'warn' });
  const engine = await openEngine({ dbPath: values.db ?? ':memory:', logger });
  try {
    for (const [type, handler] of Object.entries(handlers)) engine.handle(type, handler);
    engine.start();
    const { deployment } = await engine.deploy(xml);
    const processId = deployment.processes[0]?.processId;
    if (!processId) throw new Error(`${positionals[0]}: the document defines no executable process`);
    const started = await engine.startInstance({ processId, variables });
    await engine.settle(started.id);
    const instance = (await engine.getInstance(started.id)) ?? started;
    const history = (await engine.getHistory(started.id)) ?? [];
    process.stdout.write(`${JSON.stringify({ ...instance, history }, null, 2)}\n`);
    if (instance.status === 'completed') return 0;
    if (instance.incidents.length > 0 || instance.status === 'cancelled') return 1;
    return 3;
  } finally {
    await engine.close();
  }
}

async function backup(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { db: 'string' }, true);
  if (positionals.length !== 1) throw new UsageError('backup needs exactly one target FILE');
  const db = values.db ?? './data/baton.db';
  const { isPostgresUrl } = await import('./storage/open.js');
  if (isPostgresUrl(db))
    throw new CommandError(
      'baton backup copies a SQLite database; back up PostgreSQL with pg_dump (see docs/operations.md)',
    );
  const { backupSqlite, BackupError } = await import('./storage/sqlite/backup.js');
  try {
    process.stdout.write(`${JSON.stringify(await backupSqlite(db, positionals[0]!), null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError) throw new CommandError(err.message);
    throw err;
  }
}

function parseVars(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  let vars: unknown;
  try {
    vars = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--vars is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars))
    throw new UsageError('--vars must be a JSON object');
  return vars as Record<string, unknown>;
}

function parse<O extends Record<string, 'string' | 'boolean'>>(args: string[], options: O, positionals: boolean) {
  const spec = Object.fromEntries(Object.entries(options).map(([k, type]) => [k, { type: type as 'string' }]));
  try {
    const parsed = parseArgs({ args, options: spec, allowPositionals: positionals, strict: true });
    type Values = { [K in keyof O]?: O[K] extends 'boolean' ? boolean : string };
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Runs the command line `argv` (without node and script) and resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (
    command === undefined ||
    command === '--help' ||
    command === '-h' ||
    command === 'help' ||
    rest.includes('--help')
  ) {
    if (command === undefined) {
      process.stderr.write(USAGE);
      return 2;
    }
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'deploy':
        return await deploy(rest);
      case 'run':
        return await run(rest);
      case 'backup':
        return await backup(rest);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`baton: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (
      err instanceof CommandError ||
      err instanceof BudgetConfigError ||
      (err instanceof Error && ONE_LINE_ERRORS.has(err.name))
    ) {
      process.stderr.write(`baton ${command}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof EngineError) {
      process.stderr.write(
        `baton ${command}: ${err.code}: ${err.message}${err.details.map((d) => `\n  ${JSON.stringify(d)}`).join('')}\n`,
      );
      return 1;
    }
    process.stderr.write(`baton ${command}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

process.exit(await main(process.argv.slice(2)));
