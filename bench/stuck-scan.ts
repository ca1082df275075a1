/**
 * How long the stuck-instance gauge's read takes per scrape with many active instances (SQLite):
 * `node --import tsx bench/stuck-scan.ts [N]` starts N instances that wait at a user task, then
 * times `stuckInstances` (one indexed lookup of the newest history entry per active instance).
 */
import { closeBench, open } from './baton.js';
import { userTaskModel } from './models.js';
import { pool } from './stats.js';

const n = Number(process.argv[2] ?? 20_000);
const b = await open();
await b.engine.deploy(userTaskModel('zeebe'));
await pool(n, 200, async () => {
  await b.engine.startInstance({ processId: 'bench_user' });
});
const reads = b.engine.store.read.gauges;
const times: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const rows = await reads.stuckInstances(Date.now() + 1);
  times.push(performance.now() - t0);
  if (rows[0]?.count !== n) throw new Error(`Expected ${n} stuck instances, but ${JSON.stringify(rows)}`);
}
times.sort((a, b) => a - b);
console.log(`${n} active instances: stuckInstances read in ${times[2]!.toFixed(1)} ms (median of 5)`);
await closeBench(b);
