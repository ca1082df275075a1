/**
 * What one command costs under the default budgets when a model tries to hold the engine (the attacks
 * of issue 9): CPU time (`process.cpuUsage`) and wall time of each start and of the first retry of its
 * BUDGET_EXCEEDED incident, engine in-process on a temp file. Not part of `npm run bench`:
 * `node --import tsx bench/budget-attacks.ts [RUNS]` (docs/reliability.md, "Budgets").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../engine/src/runtime/engine.js';
import { endlessLoop, fanOut, inclusiveLoop, nestedMultiInstance, selfCall } from '../test/fixtures/attacks.js';

const RUNS = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'baton-budget-attacks-'));
const e = await openEngine({ dbPath: join(dir, 'b.db'), storeOptions: { synchronous: 'GROUP' } });
e.start();

async function timed<T>(fn: () => Promise<T>): Promise<{ cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall: performance.now() - w0 };
}

const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms`;

for (const [name, xml] of Object.entries({
  selfCall: selfCall(),
  fanOut: fanOut(),
  nestedMultiInstance: nestedMultiInstance(),
  inclusiveLoop: inclusiveLoop(),
  endlessLoop: endlessLoop(),
})) {
  const { deployment } = await e.deploy(xml);
  const processId = deployment.processes[0]!.processId;
  const starts: { cpu: number; wall: number }[] = [];
  const retries: { cpu: number; wall: number }[] = [];
  const stoppedBy = new Set<string>();
  for (let k = 0; k < RUNS; k++) {
    let id = '';
    starts.push(await timed(async () => void (id = (await e.startInstance({ processId })).id)));
    for (const inc of (await e.listIncidents({})).filter((i) => i.type === 'BUDGET_EXCEEDED'))
      stoppedBy.add(/budget of (\d+ [a-z ]+)|at most \d+ deep/.exec(inc.message)?.[0] ?? inc.message);
    const own = (await e.listIncidents({ instanceId: id }))[0];
    if (own) retries.push(await timed(() => e.retryIncident(own.id, {})));
    await e.cancelInstance(id);
  }
  console.log(
    `${name}: start cpu ${range(starts.map((s) => s.cpu))}, wall ${range(starts.map((s) => s.wall))}` +
      (retries.length
        ? `; retry cpu ${range(retries.map((s) => s.cpu))}, wall ${range(retries.map((s) => s.wall))}`
        : '') +
      `; stopped by: ${[...stoppedBy].join(', ')}`,
  );
}
await e.close();
rmSync(dir, { recursive: true, force: true });
