/**
 * Label caps: past the configured number of process ids (or elements, or job types) new values are
 * reported under the overflow label `__other__`, so a flood of deployments cannot blow up the
 * series count; values seen before keep their own series.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { LabelCap, OVERFLOW_LABEL } from '../../engine/src/runtime/metric-labels.js';
import { createMetrics } from '../../engine/src/runtime/metrics.js';
import { bpmn, chain, end, start, userTask } from '../semantics/helpers.js';
import { parseProm, seriesOf } from '../support/prom.js';

describe('metric label caps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-labels-'));
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports process ids beyond the cap as __other__, and their elements with them', async () => {
    // given metrics that keep one process id and two element ids
    const metrics = createMetrics({ processes: 1, elements: 2, defaultMetrics: false });
    engine = await openEngine({ dbPath: join(dir, 'caps.db'), metrics });
    for (const id of ['cap_a', 'cap_b', 'cap_c'])
      await engine.deploy(bpmn(id, [start(), userTask('U'), end(), chain('Start', 'U', 'End')].join('\n')));
    // when one instance of each process starts
    for (const id of ['cap_a', 'cap_b', 'cap_c']) await engine.startInstance({ processId: id });
    // then the first process keeps its label, the two others share __other__
    const scrape = parseProm(await metrics.registry.metrics());
    expect(seriesOf(scrape, 'baton_instances_started_total')).toEqual(['process_id=__other__ 2', 'process_id=cap_a 1']);
    expect(seriesOf(scrape, 'baton_element_duration_seconds_count')).toEqual([
      'element_id=Start,process_id=cap_a 1',
      'element_id=__other__,process_id=__other__ 2',
    ]);
  });

  it('keeps values seen before the cap and maps every later one to the overflow value', () => {
    const cap = new LabelCap({ processes: 2, elements: 1, jobTypes: 1 });
    expect([cap.process('a'), cap.process('b'), cap.process('c'), cap.process('a')]).toEqual([
      'a',
      'b',
      OVERFLOW_LABEL,
      'a',
    ]);
    expect([cap.element('a', 'X'), cap.element('b', 'X'), cap.element('a', 'X')]).toEqual(['X', OVERFLOW_LABEL, 'X']);
    expect([cap.jobType('t1'), cap.jobType('t2')]).toEqual(['t1', OVERFLOW_LABEL]);
  });
});
