/**
 * `npm run bench [-- --quick] [-- --only a,b] [-- --rounds N] [-- --no-normal]`: Baton (durable, temporary SQLite
 * file, default durability) against bpmn-engine (in memory) on the workloads of issue 6. Prints a
 * table of medians; a full run of a–f also writes it, with machine, versions and settings, to
 * bench/results.md (`--write` forces that, `--no-write` prevents it).
 */
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { cleanup } from './baton.js';
import { machine } from './stats.js';
import { runSuite, table, type System } from './suite.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('--quick');
const only = value('--only')
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const systems = value('--systems')?.split(',') as System[] | undefined;
const rounds = value('--rounds') ? Number(value('--rounds')) : undefined;

const started = Date.now();
try {
  const results = await runSuite({
    quick,
    normalRows: !flag('--no-normal'),
    ...(only ? { only } : {}),
    ...(systems ? { systems } : {}),
    ...(rounds ? { rounds } : {}),
    log: (l) => console.error(l),
  });
  const md = table(results);
  console.log(`\n${md}\n`);
  const mem = new Database(':memory:');
  const sqlite = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  mem.close();
  const info = {
    ...machine(),
    SQLite: sqlite,
    synchronous:
      process.env.BENCH_SYNC ??
      (flag('--no-normal') ? 'FULL (engine default)' : 'FULL (engine default); rows marked NORMAL: synchronous=NORMAL'),
    journal: 'WAL',
    mode: quick ? 'quick' : 'full',
    rounds: String(rounds ?? (quick ? 1 : 3)),
    'run time': `${Math.round((Date.now() - started) / 1000)} s`,
    date: new Date().toISOString(),
  };
  const write = flag('--write') || (!flag('--no-write') && !quick && !only);
  if (write) {
    const header = [
      '# Benchmark results',
      '',
      'Written by `npm run bench` (bench/run.ts). Baton: durable, a fresh temporary SQLite file per round,',
      'in-process handlers for (a)–(c), the REST API in a child process for (f). bpmn-engine: in memory, nothing persisted,',
      'one `new Engine({ source })` per instance. Medians over the rounds, with min–max. Baton/peer is the ratio of medians',
      '(above 1 is better for rates, below 1 is better for bytes). See docs/performance.md for the analysis.',
      '',
      ...Object.entries(info).map(([k, v]) => `- **${k}**: ${v}`),
      '',
    ];
    writeFileSync(new URL('./results.md', import.meta.url), `${header.join('\n')}\n${md}\n`);
    console.error('wrote bench/results.md');
  }
} finally {
  cleanup();
}
