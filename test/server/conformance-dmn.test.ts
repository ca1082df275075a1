/**
 * The shared conformance runner deploys `.dmn` files through `POST /api/deployments` as XML (issue
 * 12): two cases in its own format, in test/fixtures/conformance-dmn/, run by the runner itself
 * against a real server — a business rule task evaluating a decision deployed beside it, and an
 * incident for a decision deployed only later, retried.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../../shared/conformance/run.mjs', import.meta.url));
const CASES = fileURLToPath(new URL('../fixtures/conformance-dmn/', import.meta.url));

describe.skipIf(!existsSync(RUNNER))('the conformance runner with DMN cases', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('passes both cases, deploying the .dmn files as XML', async () => {
    // when the runner runs the cases against the server (in a child process: the server runs here)
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [RUNNER, '--url', t.url, '--cases', CASES], { cwd: ROOT }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      );
    });
    // then both pass
    expect(r.out).toContain('PASS dmn-business-rule');
    expect(r.out).toContain('PASS dmn-missing-decision');
    expect(r.code, r.out).toBe(0);
  }, 60_000);
});
