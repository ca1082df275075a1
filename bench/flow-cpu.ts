/**
 * One flow workload of `npm run bench` ((a)–(c)) with the CPU time it cost: on a shared machine the
 * rate follows the load of other processes, the CPU time per instance much less. Usage:
 *   node --import tsx bench/flow-cpu.ts <a|b|c> <instances> <in flight>
 * (BENCH_SYNC=NORMAL for synchronous=NORMAL; the warm-up tenth is counted in the CPU time.)
 */
import { batonFlow, cleanup } from './baton.js';
import { gatewayModel, lineModel, parallelModel, type Dialect } from './models.js';

const [w = 'b', n = '1000', c = '1'] = process.argv.slice(2);
const flows: Record<string, [(d: Dialect) => string, string]> = {
  a: [gatewayModel, 'bench_a'],
  b: [lineModel, 'bench_b'],
  c: [parallelModel, 'bench_c'],
};
const flow = flows[w];
if (!flow) throw new Error(`Expected a, b or c, but got ${w}`);
const cpu0 = process.cpuUsage();
try {
  const r = await batonFlow(flow[0]('zeebe'), flow[1], Number(n), Number(c));
  const u = process.cpuUsage(cpu0);
  const all = r.completed!;
  console.log(
    `(${w}) ${n} instances, ${c} in flight: ${Math.round(r.rate!)} instances/s, ${((u.user + u.system) / 1000 / all).toFixed(3)} ms CPU per instance`,
  );
} finally {
  cleanup();
}
