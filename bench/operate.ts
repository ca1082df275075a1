/**
 * The benchmarks of operating processes (issue 15), on Baton only (bpmn-engine has nothing like them):
 * (h) a batch operation cancelling many waiting instances while workload (a) runs with 100 in flight
 * — (a)'s throughput before and during the batch, and the batch's own rate; (i) a day of steady load
 * compressed into seconds (the engine's clock runs fast) with a one-hour retention — the database's
 * size hour by hour, which must level off.
 */
import { countByStatus, diskBytes, open, type Measure } from './baton.js';
import { gatewayModel, userTaskModel } from './models.js';
import { pool, sleep } from './stats.js';

/** (h): `n` instances waiting at a user task cancelled by one batch while (a) runs; `windowMs` of (a) measured before it. */
export async function batonBatchUnderLoad(n: number, windowMs: number): Promise<Measure> {
  const b = await open({ handlers: true });
  await b.engine.deploy(userTaskModel('zeebe'));
  await b.engine.deploy(gatewayModel('zeebe'));
  await pool(n, 200, () => b.engine.startInstance({ processId: 'bench_user' }));
  const done: number[] = [];
  let stop = false;
  const lanes = Array.from({ length: 100 }, async () => {
    while (!stop) {
      await b.engine.startInstance({ processId: 'bench_a', variables: { amount: 150 } });
      await b.nextCompletion();
      done.push(performance.now());
    }
  });
  const rate = (from: number, to: number) => done.filter((t) => t >= from && t < to).length / ((to - from) / 1000);
  await sleep(Math.min(1000, windowMs / 2));
  const t0 = performance.now();
  await sleep(windowMs);
  const t1 = performance.now();
  const batch = await b.engine.operations.createBatch({ type: 'cancel', filter: { processId: 'bench_user' } });
  for (;;) {
    const now = await b.engine.operations.getBatch(batch.id);
    if (now!.state !== 'running') break;
    await sleep(10);
  }
  const t2 = performance.now();
  stop = true;
  await Promise.all(lanes);
  const cancelled = await countByStatus(b, 'bench_user', 'cancelled');
  await b.engine.close();
  if (cancelled !== n) throw new Error(`Expected ${n} cancelled instances, but found ${cancelled}`);
  const before = rate(t0, t1);
  const during = rate(t1, t2);
  return { rateBefore: before, rateDuring: during, share: during / before, cancelRate: n / ((t2 - t1) / 1000) };
}

const HOUR = 3_600_000;

/**
 * (i): a day of load in `seconds` real seconds: `perHour` instances of (a) started every hour of the
 * engine's clock, each completing at once, with a one-hour retention. Answers the database's size
 * (file and WAL after a checkpoint) at hours 2, 6, 12 and 24, and what was started and kept.
 */
export async function batonRetentionDay(seconds: number, perHour: number): Promise<Measure> {
  const speed = (24 * HOUR) / (seconds * 1000);
  const real0 = Date.now();
  const base = Date.UTC(2026, 0, 1);
  const now = () => base + (Date.now() - real0) * speed;
  const b = await open({
    handlers: true,
    now,
    engine: {
      retention: { defaultMs: HOUR, perProcess: {} },
      retentionIntervalMs: Math.max(20, Math.round(HOUR / speed / 8)),
      jobLeaseMs: 48 * HOUR,
    },
  });
  await b.engine.deploy(gatewayModel('zeebe'));
  const sizes: Record<number, number> = {};
  let started = 0;
  const tickMs = 50;
  const perTick = (perHour * tickMs * speed) / HOUR;
  let owed = 0;
  for (let hour = 1; hour <= 24;) {
    const tick = Date.now();
    owed += perTick;
    const k = Math.floor(owed);
    owed -= k;
    await Promise.all(
      Array.from({ length: k }, () => b.engine.startInstance({ processId: 'bench_a', variables: { amount: 150 } })),
    );
    started += k;
    if (now() - base >= hour * HOUR) sizes[hour++] = diskBytes(b);
    await sleep(Math.max(0, tickMs - (Date.now() - tick)));
  }
  const kept = (b.db!.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n;
  await b.engine.close();
  return {
    size2h: sizes[2]!,
    size6h: sizes[6]!,
    size12h: sizes[12]!,
    size24h: sizes[24]!,
    growth6to24: sizes[24]! / sizes[6]!,
    started,
    kept,
  };
}
