/**
 * Baton as a dependency (issue 17): the packed tarball installs into a fresh project, which imports
 * the engine and the testing kit by name (ESM with type declarations), runs a handler-bound
 * process and the `baton` command, with no TypeScript installed. Slow by nature (build, pack,
 * install): one test.
 *
 * `npm install --ignore-scripts` skips better-sqlite3's native compile (minutes on this machine);
 * the binary this checkout compiled, for the same Node, is copied in instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bpmn, chain, end, job, start, timer } from './semantics/helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'baton-package-'));
const app = join(dir, 'app');

const GREET = bpmn(
  'greet',
  [
    start(),
    job('Greet', 'greet', '', '', ' name="Greet"'),
    `<bpmn:intermediateCatchEvent id="Wait">${timer('timeDuration', 'P7D')}</bpmn:intermediateCatchEvent>`,
    end(),
    chain('Start', 'Greet', 'Wait', 'End'),
  ].join('\n'),
);

const MAIN = `
import { openEngine } from 'baton';
import { createTestEngine, expectInstance } from 'baton/testing';
import { readFileSync } from 'node:fs';
const xml = readFileSync('greet.bpmn', 'utf8');
const engine = await openEngine({ dbPath: ':memory:' });
engine.handle('greet', async (job) => ({ greeting: 'hello ' + job.variables.name }));
await engine.start();
await engine.deploy(xml);
const started = await engine.startInstance({ processId: 'greet', variables: { name: 'world' } });
await engine.settle(started.id);
const real = await engine.getInstance(started.id);
await engine.close();
const t = await createTestEngine();
await t.deploy(xml);
t.jobs.onType('greet', { greeting: 'hi' });
const i = await t.start('greet');
await t.clock.advance('P7D');
await expectInstance(i).toBeCompleted().toHaveCompleted('Greet', 'Wait').toHaveVariables({ greeting: 'hi' });
await t.close();
console.log(JSON.stringify({ variables: real.variables, activeElements: real.activeElements, kit: 'ok' }));
`;

const TYPED = `
import { openEngine, type InstanceView } from 'baton';
import { createTestEngine, type TestEngine } from 'baton/testing';
export async function run(): Promise<InstanceView> {
  const t: TestEngine = await createTestEngine({ startAt: '2030-01-01T00:00:00Z' });
  const now: string = await t.clock.advance('P1D');
  const engine = await openEngine({ dbPath: ':memory:' });
  await engine.close();
  return t.start(now);
}
`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the npm package', () => {
  it('installs into a fresh project that imports Baton by name, binds a handler and runs a process', () => {
    // given the package built and packed
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-lib.mjs')], { cwd: ROOT, stdio: 'pipe' });
    if (!existsSync(join(ROOT, 'modeler/dist/index.html')))
      execFileSync(process.execPath, [join(ROOT, 'modeler/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('engine/dist/index.js');
    expect(files).toContain('engine/dist/testing/index.d.ts');
    expect(files).toContain('modeler/dist/index.html');
    expect(files.filter((f) => f.startsWith('engine/src/') || f.startsWith('test/'))).toEqual([]);

    // when a fresh project installs it
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync(
      'npm',
      ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(dir, packed[0]!.filename)],
      { cwd: app, stdio: 'pipe' },
    );
    const sqlite = join(dirname(require.resolve('better-sqlite3/package.json')), 'build/Release/better_sqlite3.node');
    mkdirSync(join(app, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
    copyFileSync(sqlite, join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
    writeFileSync(join(app, 'greet.bpmn'), GREET);
    writeFileSync(join(app, 'main.mjs'), MAIN);
    writeFileSync(join(app, 'typed.ts'), TYPED);
    writeFileSync(join(app, 'handlers.mjs'), "export default { greet: async (job) => ({ greeting: 'hey' }) };\n");

    // then no TypeScript came with it, the library and the kit work by name
    const installed = readdirSync(join(app, 'node_modules'));
    expect(installed).toContain('baton');
    expect(installed).not.toContain('typescript');
    expect(installed).not.toContain('bpmn-js');
    const run = spawnSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      variables: { name: 'world', greeting: 'hello world' },
      activeElements: ['Wait'],
      kit: 'ok',
    });
    // the type declarations serve a TypeScript consumer (NodeNext resolution through `exports`)
    const tsc = spawnSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(ROOT, 'node_modules/@types'),
        'typed.ts',
      ],
      { cwd: app, encoding: 'utf8' },
    );
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    // and the `baton` command runs the built JavaScript
    const cli = spawnSync(
      join(app, 'node_modules/.bin/baton'),
      ['run', 'greet.bpmn', '--handlers', 'handlers.mjs', '--db', ':memory:'],
      { cwd: app, encoding: 'utf8', env: { ...process.env, BATON_LOG_LEVEL: 'warn' } },
    );
    expect(cli.status, cli.stderr).toBe(3); // waits a week at the timer
    expect(JSON.parse(cli.stdout)).toMatchObject({ activeElements: ['Wait'], variables: { greeting: 'hey' } });
  }, 600_000);
});
