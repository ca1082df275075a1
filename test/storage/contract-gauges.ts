/**
 * Storage contract, gauges: what the metrics read at scrape time (engine/src/storage/gauge-reads.ts)
 * on data a real engine wrote under a controlled clock: open incidents per process, and active
 * instances whose newest history entry is older than a moment. Every adapter must give the same.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import { createMetrics } from '../../engine/src/runtime/metrics.js';
import { parseProm, seriesOf } from '../support/prom.js';
import { fresh, type Harness } from './contract-data.js';

const XML = readFileSync(fileURLToPath(new URL('../restart.bpmn', import.meta.url)), 'utf8');
const MINUTE = 60_000;

export function gaugeContract(h: Harness): void {
  it('counts open incidents and instances without progress since a moment, per process', async () => {
    // given an engine on a clock that only moves when the test says so (scheduler not started)
    const { store } = await fresh(h);
    let clock = Date.parse('2026-01-01T08:00:00Z');
    const metrics = createMetrics({ stuckAfterMs: 30 * MINUTE, defaultMetrics: false });
    const engine = await openEngine({ store, now: () => clock, metrics });
    await engine.deploy(XML);
    const start = async (kind: string) =>
      (await engine.startInstance({ processId: 'restart', variables: { kind, key: kind } })).id;
    // at 08:00 three instances stop: one at a user task, one at an incident, one suspended
    const waiting = await start('user');
    await start('none');
    const suspended = await start('user');
    await engine.suspendInstance(suspended);
    // at 08:20 one more stops at a job; at 08:40 the user task of the first is still open
    clock += 20 * MINUTE;
    await start('job');
    clock += 20 * MINUTE;
    const g = store.read.gauges;

    // then the open incidents, and who made no progress since 08:10 (the two from 08:00; not the suspended one)
    expect(await g.openIncidents()).toEqual([{ processId: 'restart', count: 1 }]);
    expect(await g.stuckInstances(clock - 30 * MINUTE)).toEqual([{ processId: 'restart', count: 2 }]);
    expect(await g.stuckInstances(clock - 10 * MINUTE)).toEqual([{ processId: 'restart', count: 3 }]);
    expect(await g.stuckInstances(clock - 60 * MINUTE)).toEqual([]);
    // a message kept for an hour counts as buffered until it expires
    await engine.publishMessage({ name: 'nobody-waits', correlationKey: 'x', timeToLive: 'PT1H' });
    expect([await g.bufferedMessages(clock), await g.bufferedMessages(clock + 61 * MINUTE)]).toEqual([1, 0]);
    // and the gauges of a scrape say the same at the configured age of 30 minutes
    let scrape = parseProm(await metrics.registry.metrics());
    expect(seriesOf(scrape, 'baton_stuck_instances')).toEqual(['process_id=restart 2']);
    expect(seriesOf(scrape, 'baton_open_incidents')).toEqual(['process_id=restart 1']);

    // when the first instance moves on (its user task completed) the stuck count drops by one
    const task = (await engine.listUserTasks({ instanceId: waiting }))[0]!;
    await engine.completeUserTask(task.id, {});
    scrape = parseProm(await metrics.registry.metrics());
    expect(seriesOf(scrape, 'baton_stuck_instances')).toEqual(['process_id=restart 1']);
    await engine.close();
  });
}
