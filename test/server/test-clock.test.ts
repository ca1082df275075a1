/**
 * `baton serve --test-clock` and `POST /api/test/clock` (docs/testing.md): tests in any language
 * move the server's clock over HTTP; a server without the flag refuses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, chain, end, start, timer } from '../semantics/helpers.js';
import { errorOf, request, startTestServer, type TestServer } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEEK = bpmn(
  'week',
  [
    start(),
    `<bpmn:intermediateCatchEvent id="Wait">${timer('timeDuration', 'P7D')}</bpmn:intermediateCatchEvent>`,
    end(),
    chain('Start', 'Wait', 'End'),
  ].join('\n'),
);

describe('POST /api/test/clock', () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    child = spawn(
      process.execPath,
      [join(ROOT, 'bin/baton.mjs'), 'serve', '--test-clock', '--port', '0', '--db', ':memory:'],
      {
        cwd: ROOT,
        env: { ...process.env, BATON_LOG_LEVEL: 'warn' },
      },
    );
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    });
  }, 30_000);
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('fires a one-week timer when a test advances the clock of `baton serve --test-clock` by a week', async () => {
    const read = await request(url, 'POST', '/api/test/clock', { json: {} });
    expect(read.status).toBe(200);
    const t0 = Date.parse(read.body.now);
    expect((await request(url, 'POST', '/api/deployments', { raw: WEEK, contentType: 'application/xml' })).status).toBe(
      201,
    );
    const started = await request(url, 'POST', '/api/processes/week/instances', { json: {} });
    expect(started.status).toBe(201);
    const id = started.body.id as string;

    const day6 = await request(url, 'POST', '/api/test/clock', { json: { advance: 'P6D' } });
    expect(Date.parse(day6.body.now) - t0).toBe(6 * 86_400_000);
    expect((await request(url, 'GET', `/api/instances/${id}`)).body).toMatchObject({
      status: 'active',
      activeElements: ['Wait'],
    });

    const day7 = await request(url, 'POST', '/api/test/clock', { json: { advance: 'P1D' } });
    expect(day7.status).toBe(200);
    // the answer comes once the engine has fired the timer: no polling needed
    expect((await request(url, 'GET', `/api/instances/${id}`)).body).toMatchObject({ status: 'completed' });

    const set = await request(url, 'POST', '/api/test/clock', { json: { set: '2099-01-01T00:00:00Z' } });
    expect(set.body).toEqual({ now: '2099-01-01T00:00:00.000Z' });
    const back = await request(url, 'POST', '/api/test/clock', { json: { set: '2000-01-01T00:00:00Z' } });
    expect(back.status).toBe(400);
    expect(errorOf(back).message).toContain('Expected a time at or after');
    const bad = await request(url, 'POST', '/api/test/clock', { json: { advance: 'a week' } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'INVALID_REQUEST', details: [{ field: 'advance' }] });
  });
});

describe('a server without --test-clock', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('refuses to read or move its clock', async () => {
    const r = await s.call('POST', '/api/test/clock', { json: { advance: 'P7D' } });
    expect(r.status).toBe(404);
    expect(errorOf(r)).toMatchObject({ code: 'TEST_CLOCK_OFF' });
    expect(errorOf(r).message).toContain('--test-clock');
  });
});
