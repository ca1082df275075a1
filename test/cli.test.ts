import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'baton.mjs');
const FIX = join(ROOT, 'test', 'fixtures');
const HANDLERS = join(FIX, 'cli-handlers.mjs');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/baton.mjs ...args` to its end. */
function baton(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, BATON_LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with the first stdout line of `child`. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${err}`)));
  });
}

describe('baton run', () => {
  it('runs an instance to completion with in-process handlers: exit 0 and the instance with its history', async () => {
    const r = await baton(['run', join(FIX, 'cli-double.bpmn'), '--vars', '{"n": 21}', '--handlers', HANDLERS]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      processId: 'cli_double',
      status: 'completed',
      variables: { n: 21, doubled: 42 },
      activeElements: [],
    });
    const types = (out.history as { type: string }[]).map((e) => e.type);
    expect(types[0]).toBe('process-started');
    expect(types.at(-1)).toBe('process-completed');
  });

  it('exits 3 when the instance waits for outside input (a user task)', async () => {
    const r = await baton(['run', join(FIX, 'server-user-task.bpmn')]);
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      processId: 'srv_user_task',
      status: 'active',
      activeElements: ['Approve'],
      incidents: [],
    });
    expect(out.history).toContainEqual(expect.objectContaining({ type: 'element-activated', elementId: 'Approve' }));
  });

  it('exits 1 when the instance is stuck on an incident', async () => {
    const r = await baton(['run', join(FIX, 'cli-boom.bpmn'), '--handlers', HANDLERS]);
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('active');
    expect(out.incidents).toEqual([
      expect.objectContaining({ elementId: 'Boom', message: expect.stringContaining('boom on purpose') }),
    ]);
  });

  it('exits 1 with the error for a document that cannot be deployed, and 2 for bad usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
    try {
      writeFileSync(
        join(dir, 'broken.bpmn'),
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process',
      );
      const r = await baton(['run', join(dir, 'broken.bpmn')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('INVALID_BPMN');
      expect(r.stdout).toBe('');
      const usage = await baton(['run', join(FIX, 'cli-double.bpmn'), '--vars', '{not json']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--vars');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 naming a budget variable that is not a whole number, without a stack trace', async () => {
    // given a budget variable set to something that is not a number
    // when the engine is opened
    const r = await baton(['run', join(FIX, 'cli-double.bpmn'), '--vars', '{"n": 1}'], { BATON_MAX_STEPS: 'lots' });
    // then it refuses to run, saying which variable and what it got
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Expected BATON_MAX_STEPS to be a whole number of at least 1, but got "lots"');
    expect(r.stderr).not.toContain('    at ');
  });

  it('prints usage for --help', async () => {
    const r = await baton(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('baton serve');
    expect(r.stdout).toContain('baton deploy FILE.bpmn');
    expect(r.stdout).toContain('baton run FILE.bpmn');
  });
});

describe('baton serve + baton deploy', () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-serve-'));
    server = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--db', join(dir, 'nested', 'baton.db'), '--handlers', HANDLERS],
      {
        cwd: ROOT,
        env: { ...process.env, BATON_LOG_LEVEL: 'warn' },
      },
    );
    exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
    const line = await firstLine(server);
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    url = line.slice('listening on '.length);
  });
  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API, creating the database folder', async () => {
    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: 'sqlite' } });
    expect(existsSync(join(dir, 'nested', 'baton.db'))).toBe(true);
  });

  it('deploys files to the running server and prints the answers', async () => {
    const r = await baton(['deploy', join(FIX, 'server-job.bpmn'), join(FIX, 'server-message.bpmn'), '--url', url]);
    expect(r.code, r.stderr).toBe(0);
    const answers = JSON.parse(r.stdout);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatchObject({ status: 201, processes: [{ processId: 'srv_job', version: 1 }] });
    expect(answers[1]).toMatchObject({ status: 201, processes: [{ processId: 'srv_message', version: 1 }] });
    const again = await baton(['deploy', join(FIX, 'server-job.bpmn'), '--url', url]);
    expect(JSON.parse(again.stdout)[0]).toMatchObject({
      status: 200,
      processes: [{ processId: 'srv_job', version: 1 }],
    });
    const processes = await (await fetch(`${url}/api/processes`)).json();
    expect(processes.map((p: { processId: string }) => p.processId).sort()).toEqual(['srv_job', 'srv_message']);
  });

  it('deploys a process with its decisions and form in one deployment with --together', async () => {
    // given the loan example's three files
    const files = ['loan-application.bpmn', 'loan-risk.dmn', 'underwriter-review.form'].map((f) =>
      join(ROOT, 'processes', f),
    );
    // when they are deployed together
    const r = await baton(['deploy', '--together', ...files, '--url', url]);
    // then one answer lists the process, the four decisions and the form
    expect(r.code, r.stderr).toBe(0);
    const [answer] = JSON.parse(r.stdout);
    expect(answer).toMatchObject({ status: 201, processes: [{ processId: 'loan-application' }] });
    expect(answer.decisions).toHaveLength(4);
    expect(answer.forms).toEqual([
      expect.objectContaining({ formId: 'underwriter-review', resourceName: 'underwriter-review.form' }),
    ]);
  });

  it('runs jobs with the in-process handlers given by --handlers', async () => {
    const r = await baton(['deploy', join(FIX, 'cli-double.bpmn'), '--url', url]);
    expect(r.code, r.stderr).toBe(0);
    const start = await fetch(`${url}/api/processes/cli_double/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { n: 4 } }),
    });
    expect(start.status).toBe(201);
    const { id } = await start.json();
    let instance: { status: string; variables: Record<string, unknown> } | undefined;
    for (let i = 0; i < 100 && instance?.status !== 'completed'; i++) {
      await new Promise((res) => setTimeout(res, 20));
      instance = await (await fetch(`${url}/api/instances/${id}`)).json();
    }
    expect(instance).toMatchObject({ status: 'completed', variables: { n: 4, doubled: 8 } });
  });

  it('exits 1 with the error message when a deployment is rejected or the server is unreachable', async () => {
    const broken = join(dir, 'broken.bpmn');
    writeFileSync(broken, '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process');
    const r = await baton(['deploy', broken, '--url', url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('INVALID_BPMN');
    const down = await baton(['deploy', join(FIX, 'server-job.bpmn'), '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach');
  });

  it('on a busy port: one line with the --port hint, exit 1, and the database left alone', async () => {
    // given the port the running server listens on, and a database path nobody uses yet
    const port = new URL(url).port;
    const db = join(dir, 'second', 'baton.db');
    // when a second server is started on that port
    const r = await baton(['serve', '--port', port, '--db', db]);
    // then it says so in one line, with the flag to choose another port, and exits non-zero
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `baton serve: port ${port} on 127.0.0.1 is already in use (is another baton serve running?); ` +
        `choose another with --port, e.g. npm start -- --port ${Number(port) + 1}\n`,
    );
    // and it never opened (or created) a database
    expect(existsSync(db)).toBe(false);
    // while the first server still answers
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
