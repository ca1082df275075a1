/**
 * Access control (issue 5, item 5): bearer tokens from an auth file map to roles; every /api route
 * and /metrics checks them; /api/health stays open; the token's name is the audit actor.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../engine/src/main.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { AuthFileError, loadAuthFile, parseAuthConfig } from '../../engine/src/server/auth.js';
import { errorOf, fixture, request, waitFor, type CallOptions } from './helpers.js';
import { AUTH_FILE, TOKENS } from './tokens.js';

describe('access control with --auth', () => {
  let dir: string;
  let server: RunningServer;
  const as = (who: keyof typeof TOKENS | null, method: string, path: string, opts: CallOptions = {}) =>
    request(server.url, method, path, {
      ...opts,
      headers: { ...opts.headers, ...(who ? { authorization: `Bearer ${TOKENS[who]}` } : {}) },
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-auth-test-'));
    const file = join(dir, 'auth.json');
    writeFileSync(file, JSON.stringify(AUTH_FILE));
    server = await startServer({
      port: 0,
      dbPath: join(dir, 'baton.db'),
      auth: loadAuthFile(file),
      staticDir: join(dir, 'static'),
      logger: createLogger({ level: process.env.BATON_LOG_LEVEL ?? 'silent' }),
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps /api/health open and the static page public', async () => {
    expect((await as(null, 'GET', '/api/health')).status).toBe(200);
    expect((await as(null, 'GET', '/')).status).toBe(200);
  });

  it('answers 401 UNAUTHENTICATED in the error shape without a token or with an unknown one', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer not-a-known-token-at-all' },
      { authorization: 'Basic dXNlcjpwdw==' },
    ]) {
      const answer = await request(server.url, 'GET', '/api/processes', { headers });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.headers.get('content-type')).toMatch(/application\/json/);
      expect(errorOf(answer).code).toBe('UNAUTHENTICATED');
    }
    expect((await as(null, 'GET', '/metrics')).status).toBe(401);
    expect(
      (await as(null, 'POST', '/api/deployments', { raw: fixture('server-job.bpmn'), contentType: 'application/xml' }))
        .status,
    ).toBe(401);
    expect((await as(null, 'GET', '/api/no-such-route')).status).toBe(401);
  });

  it('lets each role do its part and answers 403 FORBIDDEN otherwise', async () => {
    const xml = { raw: fixture('server-job.bpmn'), contentType: 'application/xml' };
    // deploy: modeler only
    for (const who of ['viewer', 'operator', 'worker'] as const) {
      const answer = await as(who, 'POST', '/api/deployments', xml);
      expect(answer.status, who).toBe(403);
      expect(errorOf(answer).code).toBe('FORBIDDEN');
    }
    expect([200, 201]).toContain((await as('modeler', 'POST', '/api/deployments', xml)).status);
    // read: viewer
    expect((await as('modeler', 'GET', '/api/processes')).status).toBe(403);
    expect((await as('viewer', 'GET', '/api/processes')).status).toBe(200);
    expect((await as('viewer', 'GET', '/metrics')).status).toBe(200);
    expect((await as('worker', 'GET', '/metrics')).status).toBe(403);
    // start and operate: operator
    expect((await as('viewer', 'POST', '/api/processes/srv_job/instances', { json: {} })).status).toBe(403);
    expect((await as('worker', 'POST', '/api/processes/srv_job/instances', { json: {} })).status).toBe(403);
    const started = await as('operator', 'POST', '/api/processes/srv_job/instances', { json: {} });
    expect(started.status).toBe(201);
    const id: string = started.body.id;
    expect((await as('viewer', 'PATCH', `/api/instances/${id}/variables`, { json: { a: 1 } })).status).toBe(403);
    expect((await as('operator', 'PATCH', `/api/instances/${id}/variables`, { json: { a: 1 } })).status).toBe(200);
    expect((await as('worker', 'POST', '/api/messages', { json: { name: 'x' } })).status).toBe(403);
    expect((await as('operator', 'POST', '/api/messages', { json: { name: 'x' } })).status).toBe(200);
    expect((await as('operator', 'POST', '/api/signals', { json: { name: 'x' } })).status).toBe(200);
    // jobs: worker
    expect((await as('operator', 'POST', '/api/jobs/activate', { json: { type: 'srv.work' } })).status).toBe(403);
    const job = await waitFor(
      'a job',
      async () =>
        (await as('worker', 'POST', '/api/jobs/activate', { json: { type: 'srv.work', maxJobs: 1 } })).body.jobs[0],
    );
    expect((await as('operator', 'POST', `/api/jobs/${job.key}/complete`, { json: {} })).status).toBe(403);
    expect((await as('worker', 'POST', `/api/jobs/${job.key}/complete`, { json: {} })).status).toBe(200);
    // a token with every role
    expect((await as('all', 'GET', `/api/instances/${id}`)).status).toBe(200);
  });

  it('writes the token name as the actor and ignores X-Baton-Actor', async () => {
    const started = await as('all', 'POST', '/api/processes/srv_job/instances', { json: {} });
    const id: string = started.body.id;
    const cancelled = await as('operator', 'POST', `/api/instances/${id}/cancel`, {
      json: { reason: 'test' },
      headers: { 'x-baton-actor': 'mallory' },
    });
    expect(cancelled.status).toBe(200);
    const history = (await as('viewer', 'GET', `/api/instances/${id}/history`)).body as Record<string, unknown>[];
    expect(history).toContainEqual(
      expect.objectContaining({ type: 'process-cancelled', reason: 'test', actor: 'olga' }),
    );
    expect(JSON.stringify(history)).not.toContain('mallory');
  });

  it('refuses a forbidden deployment before reading its body', async () => {
    const huge = 'x'.repeat(5_000_000);
    const answer = await as('viewer', 'POST', '/api/deployments', { raw: huge, contentType: 'application/xml' });
    expect(answer.status).toBe(403);
  });
});

describe('the auth file', () => {
  it('is checked for shape, known roles and token length', () => {
    expect(() => parseAuthConfig({})).toThrow(AuthFileError);
    expect(() => parseAuthConfig({ tokens: {} })).toThrow(/no token/);
    expect(() => parseAuthConfig({ tokens: { short: { name: 'a', roles: ['viewer'] } } })).toThrow(/shorter/);
    expect(() => parseAuthConfig({ tokens: { 'long-enough-token-123': { name: 'a', roles: ['admin'] } } })).toThrow(
      /unknown role/,
    );
    expect(() => parseAuthConfig({ tokens: { 'long-enough-token-123': { name: '', roles: ['viewer'] } } })).toThrow(
      /name/,
    );
    const config = parseAuthConfig({ tokens: { 'long-enough-token-123': { name: 'a', roles: ['viewer'] } } });
    expect(config.principalOf('long-enough-token-123')?.name).toBe('a');
    expect(config.principalOf('long-enough-token-124')).toBeUndefined();
  });
});

describe('baton serve: listen address and auth flags', () => {
  const BIN = fileURLToPath(new URL('../../bin/baton.mjs', import.meta.url));

  /** Runs `baton serve ARGS` until it prints `listening on` (then SIGTERM) or exits; returns its output. */
  function serveOnce(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', ':memory:', ...args], {
      env: {
        ...process.env,
        BATON_LOG_LEVEL: 'warn',
        BATON_AUTH_FILE: '',
        BATON_BODY_LIMIT: '',
        BATON_REQUEST_TIMEOUT_MS: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      if (stdout.includes('listening on')) child.kill('SIGTERM');
    });
    child.stderr!.on('data', (d) => {
      stderr += String(d);
    });
    return new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code: code ?? (`signal ${signal}` as never), stdout, stderr })),
    );
  }

  let dir: string;
  let authFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-auth-cli-'));
    authFile = join(dir, 'auth.json');
    writeFileSync(authFile, JSON.stringify(AUTH_FILE));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ tokens: { short: { name: 'a', roles: ['viewer'] } } }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on 127.0.0.1 by default, without a warning', async () => {
    const run = await serveOnce([]);
    expect(run.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(run.stderr).not.toMatch(/warning/);
    expect(run.code).toBe(0);
  });

  it('warns on stderr when told to listen elsewhere without --auth, not with it', async () => {
    const open = await serveOnce(['--host', '0.0.0.0']);
    expect(open.stderr).toMatch(/warning: listening on 0\.0\.0\.0.*without --auth/);
    const guarded = await serveOnce(['--host', '0.0.0.0', '--auth', authFile]);
    expect(guarded.stdout).toMatch(/listening on/);
    expect(guarded.stderr).not.toMatch(/warning/);
    const byEnv = await serveOnce(['--host', '0.0.0.0'], { BATON_AUTH_FILE: authFile });
    expect(byEnv.stderr).not.toMatch(/warning/);
  });

  it('refuses a bad auth file, body limit or request timeout with exit code 2', async () => {
    expect((await serveOnce(['--auth', join(dir, 'bad.json')])).code).toBe(2);
    expect((await serveOnce(['--auth', join(dir, 'missing.json')])).code).toBe(2);
    expect((await serveOnce(['--body-limit', 'lots'])).code).toBe(2);
    expect((await serveOnce(['--body-limit', '2mb'])).code).toBe(0);
    expect((await serveOnce(['--request-timeout-ms', 'soon'])).code).toBe(2);
    expect((await serveOnce(['--request-timeout-ms', '5'])).code).toBe(2);
    expect((await serveOnce([], { BATON_REQUEST_TIMEOUT_MS: '1e9' })).code).toBe(2);
    expect((await serveOnce(['--request-timeout-ms', '5000'])).code).toBe(0);
  });
});
