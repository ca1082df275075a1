/**
 * Browser tests: @playwright/test driving Debian's Chromium against a real `baton serve` (a fresh
 * SQLite file in the temp folder, in-process handlers from fixtures/handlers.mjs). Run with
 * `node test/browser/run.mjs` (builds the app first) or `npx playwright test -c test/browser/playwright.config.ts`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.BATON_BROWSER_PORT ?? 18931);
const DB = join(tmpdir(), `baton-browser-${PORT}.db`);
/** A second server with access control on (`--auth`), for the token dialog. */
export const AUTH_PORT = PORT + 1;
const AUTH_DB = join(tmpdir(), `baton-browser-${AUTH_PORT}.db`);
/**
 * A third server as `npm start` runs on a fresh clone: no handlers, no access control, an empty
 * database. The README walk runs against it.
 */
export const PLAIN_PORT = PORT + 2;
const PLAIN_DB = join(tmpdir(), `baton-browser-${PLAIN_PORT}.db`);

/** A `baton serve` on a fresh SQLite file in the temp folder. */
function server(port: number, db: string, flags: string) {
  return {
    command: `rm -f ${db} ${db}-wal ${db}-shm && node bin/baton.mjs serve --port ${port} --db ${db} ${flags}`,
    cwd: join(import.meta.dirname, '..', '..'),
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: { BATON_LOG_LEVEL: 'error' },
  };
}

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: join(tmpdir(), 'baton-browser-results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
  },
  webServer: [
    server(PORT, DB, '--handlers test/browser/fixtures/handlers.mjs'),
    server(AUTH_PORT, AUTH_DB, '--auth test/browser/fixtures/auth.json'),
    server(PLAIN_PORT, PLAIN_DB, ''),
  ],
});
