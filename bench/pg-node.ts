/**
 * One engine node of the multi-node benchmark, run as a child process so that nodes do not share
 * an event loop: `node --import tsx bench/pg-node.ts <postgres-url> <processId> <n> <in flight>`.
 * It opens an engine on the shared database with the in-process handler of workloads (a)–(c),
 * prints `ready`, waits for a line on stdin, starts `n` instances keeping `in flight` of its own
 * running, and prints `{"ms": …, "completed": …}` when all of them completed.
 */
import { createInterface } from 'node:readline';
import { openEngine } from '../engine/src/runtime/engine.js';
import { countingMetrics } from './baton.js';
import { pool } from './stats.js';

const [url, processId, nArg, cArg] = process.argv.slice(2);
if (!url || !processId || !nArg || !cArg) throw new Error('usage: pg-node.ts <url> <processId> <n> <in flight>');
const n = Number(nArg);
let done = 0;
let credit = 0;
const waiting: (() => void)[] = [];
const metrics = countingMetrics(() => {
  done++;
  const w = waiting.shift();
  if (w) w();
  else credit++;
});
const engine = await openEngine({ dbPath: url, metrics });
engine.handle('bench-work', () => ({ ok: true }));
engine.start();
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
const next = () => (credit > 0 ? (credit--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r)));
const t0 = performance.now();
await pool(n, Number(cArg), async () => {
  await engine.startInstance({ processId, variables: { amount: 150 } });
  await next();
});
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, completed: done })}\n`);
lines.close();
await engine.close();
process.exit(0);
