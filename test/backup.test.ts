/**
 * `baton backup` (issue 15, item 5): a consistent copy of a live SQLite database taken by another
 * process while the engine runs under load; restored, every instance in it continues to its end.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../engine/src/main.js';
import { createLogger } from '../engine/src/runtime/logger.js';
import { bpmn, flow, job } from './core/harness.js';
import { request } from './server/helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'baton.mjs');
const dir = mkdtempSync(join(tmpdir(), 'baton-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL = bpmn(
  'bk',
  `<bpmn:startEvent id="S" />${job('A', 'bk.a')}<bpmn:userTask id="U" /><bpmn:endEvent id="E" />
  ${flow('f1', 'S', 'A')}${flow('f2', 'A', 'U')}${flow('f3', 'U', 'E')}`,
);

function baton(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, BATON_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const open = (dbPath: string) =>
  startServer({ port: 0, dbPath, logger: createLogger({ level: 'silent' }), staticDir: dir });

/** Starts instances and completes their first job until `stop` is set; resolves to the ids whose start was answered. */
async function load(server: RunningServer, stop: { now: boolean }): Promise<string[]> {
  const ids: string[] = [];
  const starter = async () => {
    while (!stop.now) {
      const r = await request(server.url, 'POST', '/api/processes/bk/instances', {
        json: { variables: { n: ids.length } },
      });
      ids.push(r.body.id);
    }
  };
  const worker = async () => {
    while (!stop.now) {
      const got = await request(server.url, 'POST', '/api/jobs/activate', {
        json: { type: 'bk.a', maxJobs: 8, lockMs: 1000 },
      });
      for (const j of got.body.jobs) await request(server.url, 'POST', `/api/jobs/${j.key}/complete`, { json: {} });
    }
  };
  await Promise.all([starter(), starter(), worker()]);
  return ids;
}

describe('baton backup', () => {
  it('copies a live database under load from another process; the restored copy runs every instance to its end', async () => {
    // given a server under load: instances starting, jobs completing
    const live = join(dir, 'live.db');
    const server = await open(live);
    expect(
      (await request(server.url, 'POST', '/api/deployments', { raw: MODEL, contentType: 'application/xml' })).status,
    ).toBe(201);
    const stop = { now: false };
    const loading = load(server, stop);
    await new Promise((r) => setTimeout(r, 1500));
    const before = (await request(server.url, 'GET', '/api/instances?limit=1')).body.total as number;
    expect(before).toBeGreaterThan(3);
    // when another process backs it up while it runs
    const copy = join(dir, 'copy.db');
    const out = await baton(['backup', copy, '--db', live]);
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    await new Promise((r) => setTimeout(r, 200));
    stop.now = true;
    const started = await loading;
    await server.close();
    // then the copy holds at least every instance started before it began, and passed its integrity check
    const inCopy = report.instances.active + report.instances.ended;
    expect(inCopy).toBeGreaterThanOrEqual(before);
    expect(inCopy).toBeLessThan(started.length + 1);
    expect(report).toMatchObject({ schemaVersion: expect.any(Number), bytes: expect.any(Number) });

    // when it is restored (put in place of a database file) and a server starts on it
    const restoredPath = join(dir, 'restored.db');
    copyFileSync(copy, restoredPath);
    const restored = await open(restoredPath);
    try {
      const active = (await request(restored.url, 'GET', '/api/instances?status=active&limit=1000')).body;
      expect(active.total).toBe(report.instances.active);
      // then every instance in it continues: its job (a lock taken before the backup runs out first) and its user task complete it
      const deadline = Date.now() + 15_000;
      for (;;) {
        const got = await request(restored.url, 'POST', '/api/jobs/activate', { json: { type: 'bk.a', maxJobs: 100 } });
        for (const j of got.body.jobs)
          expect((await request(restored.url, 'POST', `/api/jobs/${j.key}/complete`, { json: {} })).status).toBe(200);
        const tasks = (await request(restored.url, 'GET', '/api/user-tasks?limit=1000')).body;
        for (const task of tasks)
          expect(
            (await request(restored.url, 'POST', `/api/user-tasks/${task.id}/complete`, { json: {} })).status,
          ).toBe(200);
        const left = (await request(restored.url, 'GET', '/api/instances?status=active&limit=1')).body.total;
        if (left === 0) break;
        expect(Date.now(), `${left} instances still active`).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 100));
      }
      const completed = (await request(restored.url, 'GET', '/api/instances?status=completed&limit=1')).body.total;
      expect(completed).toBe(inCopy);
    } finally {
      await restored.close();
    }
  }, 60_000);

  it('refuses to overwrite, to copy what is not a Baton database, and PostgreSQL (pg_dump)', async () => {
    const target = join(dir, 'exists.db');
    writeFileSync(target, 'x');
    const over = await baton(['backup', target, '--db', join(dir, 'live.db')]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('never overwrites');
    // the engine stopped (its WAL checkpointed away): a copy works all the same
    const stopped = await baton(['backup', join(dir, 'stopped.db'), '--db', join(dir, 'live.db')]);
    expect(stopped.code, stopped.stderr).toBe(0);
    const missing = await baton(['backup', join(dir, 'new.db'), '--db', join(dir, 'nope.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    const pg = await baton(['backup', join(dir, 'pg.db'), '--db', 'postgres://postgres@127.0.0.1:5432/x']);
    expect(pg.code).toBe(1);
    expect(pg.stderr).toContain('pg_dump');
    expect((await baton(['backup'])).code).toBe(2);
  });
});
