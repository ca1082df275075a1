/**
 * One writer per SQLite file, with real processes: a second `baton serve` on a file that a live
 * one holds exits at once, non-zero, with one line naming the file and the holder's pid; after the
 * holder is killed with SIGKILL, the next start takes the file at once (the lock is not stale) and
 * finds everything the killed one committed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { call, deploy, ServerProcess } from '../torture/server-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const XML = readFileSync(join(ROOT, 'test/restart.bpmn'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'baton-lock-'));
const path = join(dir, 'one.db');
const first = new ServerProcess({ dbPath: path });
const third = new ServerProcess({ dbPath: path });
afterAll(async () => {
  await first.stop();
  await third.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `baton serve` on `db`, run to its end (it must not start). */
function serveOnce(db: string) {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['bin/baton.mjs', 'serve', '--port', '0', '--db', db], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, BATON_LOG_LEVEL: 'silent' },
  });
  return { ...r, ms: Date.now() - started };
}

describe('one baton serve per SQLite file', () => {
  it('refuses a second server at once, naming the file and the holder, and lets the next one in after a SIGKILL', async () => {
    // given a server holding the file, with an instance in it
    await first.start();
    const holder = first.pid!;
    expect((await deploy(first, XML)).status).toBe(201);
    const started = await call(first, 'POST', '/api/processes/restart/instances', { variables: { kind: 'user' } });
    expect(started.status).toBe(201);

    // when a second server is started on the same file
    const second = serveOnce(path);
    // then it exits at once, non-zero, with one line naming the file and the holder's pid
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    const line = second.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain(path);
    expect(line).toContain(`process ${holder}`);
    expect(line).toMatch(/^baton serve: Expected to be the only engine on .+, but it is in use by process \d+/);
    expect(second.ms).toBeLessThan(10_000);
    // and the first one still works
    expect((await call(first, 'GET', '/api/health')).status).toBe(200);

    // when the holder is killed with SIGKILL and a new server starts on the file
    await first.kill();
    const restartedAt = Date.now();
    await third.start();
    // then it started at once and answers
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
    expect((await call(third, 'GET', '/api/health')).status).toBe(200);
    // with what the killed one committed
    const found = await call(third, 'GET', `/api/instances/${started.body.id}`);
    expect([found.status, found.body.activeElements]).toEqual([200, ['Approve']]);
    // and a second one is refused again, now naming the new holder
    const fourth = serveOnce(path);
    expect(fourth.status).toBe(1);
    expect(fourth.stderr).toContain(`process ${third.pid}`);
  });
});

describe('one writer per SQLite file, whatever the path says', () => {
  it('refuses a second store that reaches the same file through a symbolic link', async () => {
    // given a store on a file, and a link to that file and one to its folder
    const { openSqliteStore } = await import('../../engine/src/storage/sqlite/sqlite-store.js');
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const real = join(dir, 'real', 'x.db');
    mkdirSync(join(dir, 'real'));
    const store = openSqliteStore({ path: real });
    symlinkSync(real, join(dir, 'link.db'));
    symlinkSync(join(dir, 'real'), join(dir, 'folder-link'));
    try {
      // when other stores open it through the links, then they are refused
      for (const other of [join(dir, 'link.db'), join(dir, 'folder-link', 'x.db'), join(dir, 'real', '.', 'x.db')])
        expect(() => openSqliteStore({ path: other }), other).toThrow(
          /Expected to be the only engine on .*, but it is in use by process/,
        );
    } finally {
      await store.close();
    }
    // and once it is closed, the link opens it
    const again = openSqliteStore({ path: join(dir, 'link.db') });
    await again.close();
  });
});
