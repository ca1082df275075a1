/**
 * Graceful shutdown (issue 5, item 6): on SIGTERM `baton serve` refuses new work, lets requests in
 * flight finish, ends long polls early, closes the database and exits 0; what it acknowledged is in
 * the database afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { createLogger } from '../../engine/src/runtime/logger.js';
import { createApp } from '../../engine/src/server/app.js';
import { ShutdownGate } from '../../engine/src/server/shutdown.js';
import { errorOf, fixture, request, type Answer } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/baton.mjs', import.meta.url));

/** Starts `baton serve` on a free port; resolves with its URL once it printed `listening on`. */
function serve(dbPath: string): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', dbPath], {
    env: { ...process.env, BATON_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited });
    });
    void exited.then((code) => reject(new Error(`baton serve exited ${code}: ${stderr}`)));
  });
}

/** An answer, or the network error's name when the server was already gone. */
async function attempt(p: Promise<Answer>): Promise<Answer | { failed: string }> {
  try {
    return await p;
  } catch (err) {
    return { failed: String((err as Error).cause ?? err) };
  }
}

describe('graceful shutdown on SIGTERM', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends a long poll, finishes requests in flight, exits 0 and leaves a database with the acknowledged data', async () => {
    // given a server with a deployed process, a long poll waiting and 30 starts in flight
    dir = mkdtempSync(join(tmpdir(), 'baton-shutdown-test-'));
    const dbPath = join(dir, 'baton.db');
    const { child, url, exited } = await serve(dbPath);
    const deployed = await request(url, 'POST', '/api/deployments', {
      raw: fixture('server-job.bpmn'),
      contentType: 'application/xml',
    });
    expect(deployed.status).toBe(201);
    const before = await request(url, 'POST', '/api/processes/srv_job/instances', { json: { variables: { n: -1 } } });
    expect(before.status).toBe(201);
    const pollStarted = Date.now();
    const longPoll = attempt(
      request(url, 'POST', '/api/jobs/activate', { json: { type: 'nobody.offers.this', waitMs: 30_000 } }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const starts = Array.from({ length: 30 }, (_, n) =>
      attempt(request(url, 'POST', '/api/processes/srv_job/instances', { json: { variables: { n } } })),
    );
    // when
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    // then the long poll answers at once, empty
    const poll = await longPoll;
    expect(poll).toMatchObject({ status: 200, body: { jobs: [] } });
    expect(Date.now() - pollStarted).toBeLessThan(5_000);
    // every start either committed (201), was refused cleanly (503), or never reached the server
    const answers = await Promise.all(starts);
    const acknowledged: string[] = [before.body.id];
    for (const a of answers) {
      if ('failed' in a) continue;
      if (a.status === 503) {
        expect(errorOf(a).code).toBe('SHUTTING_DOWN');
        continue;
      }
      expect(a.status).toBe(201);
      acknowledged.push(a.body.id);
    }
    expect(await exited).toBe(0);
    // and the database opens cleanly with every acknowledged instance
    const engine = await openEngine({ dbPath, logger: createLogger({ level: 'silent' }) });
    try {
      for (const id of acknowledged) expect((await engine.getInstance(id))?.status, id).toBe('active');
      expect((await engine.listProcesses()).map((p) => p.processId)).toEqual(['srv_job']);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('answers 503 SHUTTING_DOWN to a request that arrives while draining', async () => {
    // given an app whose gate drains while the server still listens
    const engine = await openEngine({ dbPath: ':memory:', logger: createLogger({ level: 'silent' }) });
    const gate = new ShutdownGate();
    const server = createServer(createApp(engine, { gate, logger: createLogger({ level: 'silent' }) }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await request(url, 'GET', '/api/health')).status).toBe(200);
      // when
      gate.drain();
      // then
      const answer = await request(url, 'POST', '/api/processes/p/instances', { json: {} });
      expect(answer.status).toBe(503);
      expect(errorOf(answer).code).toBe('SHUTTING_DOWN');
      expect(answer.headers.get('connection')).toBe('close');
      expect(await gate.idle(100)).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await engine.close();
    }
  });
});
