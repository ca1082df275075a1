/**
 * Metrics count what committed, once: when an operation of a group-commit batch fails after writing,
 * the batch is rolled back and runs again without it, so the other operations run twice; their
 * metrics must count once, and the failed one's not at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import type { GroupCommit } from '../../engine/src/runtime/group-commit.js';
import { createMetrics } from '../../engine/src/runtime/metrics.js';
import { bpmn, chain, end, start, userTask } from '../semantics/helpers.js';
import { parseProm, seriesOf } from '../support/prom.js';

describe('metrics after commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-after-commit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the operations of a batch run twice (after a rollback) once', async () => {
    // given an engine with metrics and a process
    const metrics = createMetrics({ defaultMetrics: false });
    const engine = await openEngine({ dbPath: join(dir, 'm.db'), metrics });
    await engine.deploy(bpmn('ac_p', [start(), userTask('U'), end(), chain('Start', 'U', 'End')].join('\n')));
    const commits = (engine as unknown as { commits: GroupCommit }).commits;
    let runs = 0;
    // when two starts share a batch with an operation that fails after writing (the batch rolls back and runs again)
    const results = await Promise.allSettled([
      engine.startInstance({ processId: 'ac_p' }),
      commits.submit({
        run: async (w) => {
          runs++;
          await w.tx.inbox.add({ target: 'nobody', kind: 'command', payload: {}, createdAt: 0 });
          w.after(() => metrics.messagesPublished.inc());
          throw new Error('fails after writing');
        },
      }),
      engine.startInstance({ processId: 'ac_p' }),
    ]);
    // then the starts succeeded once each, and the metrics say two, not three or four
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(runs).toBe(1);
    const listed = await engine.listInstances({ processId: 'ac_p' });
    expect(listed.total).toBe(2);
    // (the first start ran twice: its rolled-back attempt used instance id 1)
    expect(
      results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [(r.value as { id: string }).id] : [])),
    ).toEqual(['2', '3']);
    const scrape = parseProm(await metrics.registry.metrics());
    expect(seriesOf(scrape, 'baton_instances_started_total')).toEqual(['process_id=ac_p 2']);
    expect(seriesOf(scrape, 'baton_element_duration_seconds_count')).toEqual(['element_id=Start,process_id=ac_p 2']);
    expect(seriesOf(scrape, 'baton_messages_published_total')).toEqual([' 0']);
    await engine.close();
  });

  it('answers a scrape while the database cannot be read, leaving out its gauges and counting the miss', async () => {
    // given an engine with an open incident, and then its database closed
    const metrics = createMetrics({ defaultMetrics: false });
    const engine = await openEngine({ dbPath: join(dir, 'gone.db'), metrics });
    await engine.deploy(bpmn('ac_q', [start(), userTask('U'), end(), chain('Start', 'U', 'End')].join('\n')));
    await engine.startInstance({ processId: 'ac_q' });
    expect(seriesOf(parseProm(await metrics.registry.metrics()), 'baton_gauge_read_errors_total')).toEqual([' 0']);
    await engine.close();
    // when Prometheus scrapes
    const scrape = parseProm(await metrics.registry.metrics());
    // then the counters are there, the database gauges are not, and the miss is counted
    expect(seriesOf(scrape, 'baton_instances_started_total')).toEqual(['process_id=ac_q 1']);
    expect(seriesOf(scrape, 'baton_stuck_instances')).toEqual([]);
    expect(seriesOf(scrape, 'baton_buffered_messages')).toEqual([' NaN']);
    expect(seriesOf(scrape, 'baton_gauge_read_errors_total')).toEqual([' 3']);
  });
});
