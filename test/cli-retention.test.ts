/** `baton serve --retention` / `BATON_RETENTION`: a setting that cannot be read stops the server with one line (exit 2). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function serve(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'baton.mjs'), 'serve', '--db', ':memory:', '--port', '0', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, BATON_LOG_LEVEL: 'silent', ...env },
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', () => child.kill('SIGTERM'));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('baton serve --retention', () => {
  it.each([
    ['months', ['--retention', 'P1M'], {}, 'months and years vary'],
    ['a typing mistake', ['--retention', 'P30X'], {}, 'such as P30D'],
    ['two global times', ['--retention', 'P1D,P2D'], {}, 'one time to live for every process'],
    ['the environment', [], { BATON_RETENTION: 'order=' }, 'such as P30D'],
  ])('refuses %s with exit 2 and says why', async (_what, args, env, why) => {
    const r = await serve(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--retention');
    expect(r.stderr).toContain(why);
  });

  it('starts with a setting it can read', async () => {
    const r = await serve(['--retention', 'P30D,order-approval=P7D,kept=off']);
    expect(r.code, r.stderr).toBe(0);
  });
});
