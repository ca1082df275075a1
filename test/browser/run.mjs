#!/usr/bin/env node
// Runs the browser suite: builds the web app, then `playwright test` with the JSON reporter, prints
// the usual list output plus one closing line `browser: N passed, M failed`, and exits non-zero on failure.
//   node test/browser/run.mjs                 all specs
//   node test/browser/run.mjs --screenshots   also refresh docs/screenshots/*.png
//   node test/browser/run.mjs journey         only specs matching "journey" (any playwright argument works)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshots = process.argv.includes('--screenshots');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...(screenshots ? { BATON_SCREENSHOTS: '1' } : {}) };
const report = join(tmpdir(), `baton-browser-report-${process.pid}.json`);

const build = spawnSync('node', ['modeler/build.mjs'], { cwd: root, env, stdio: 'inherit' });
if (build.status !== 0) {
  process.stdout.write('browser: 0 passed, 1 failed\n');
  process.exit(1);
}

const args = [
  'playwright',
  'test',
  '-c',
  'test/browser/playwright.config.ts',
  '--reporter=list,json',
  ...process.argv.slice(2).filter((a) => a !== '--screenshots'),
];
const run = spawnSync('npx', args, {
  cwd: root,
  env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  stdio: 'inherit',
});

let passed = 0;
let failed;
if (existsSync(report)) {
  const stats = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
  passed = stats.expected ?? 0;
  failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
  rmSync(report, { force: true });
  if (run.status !== 0 && failed === 0) failed = 1; // e.g. the web server did not start
} else failed = 1;

process.stdout.write(`browser: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && run.status === 0 ? 0 : 1);
