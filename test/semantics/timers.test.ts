/**
 * Timer rows: a non-interrupting cycle boundary repeats; timer start events (duration, date,
 * cycle) fire exactly once per due time, also across an engine restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../engine/src/runtime/engine.js';
import {
  bpmn,
  chain,
  completeUserTask,
  completions,
  end,
  flow,
  idsOf,
  run,
  sleep,
  start,
  startEngine,
  timer,
  userTask,
  waitCompleted,
  waitStatus,
  type TestEngine,
} from './helpers.js';

describe('timer boundary, cycle, non-interrupting', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  it('fires R3/PT0.1S three times while the task stays active, then no more', async () => {
    // given
    const xml = bpmn(
      'sem_timer_cycle',
      [
        start(),
        userTask('Task'),
        end(),
        chain('Start', 'Task', 'End'),
        `<bpmn:boundaryEvent id="Tick" attachedToRef="Task" cancelActivity="false">${timer('timeCycle', 'R3/PT0.1S')}</bpmn:boundaryEvent>`,
        '<bpmn:task id="OnTick" />',
        end('TickEnd'),
        chain('Tick', 'OnTick', 'TickEnd'),
      ].join('\n'),
    );
    const i = await run(t.engine, xml, 'sem_timer_cycle');
    // when
    await waitCompleted(t.engine, i.id, 'TickEnd', 3);
    await sleep(400);
    // then
    expect(await completions(t.engine, i.id, 'Tick')).toBe(3);
    expect(await completions(t.engine, i.id, 'OnTick')).toBe(3);
    expect((await t.engine.getInstance(i.id))!.activeElements).toEqual(['Task']);
    await completeUserTask(t.engine, i.id, 'Task');
    await waitStatus(t.engine, i.id, 'completed');
    expect(await idsOf(t.engine, i.id, 'element-terminated')).toEqual([]);
  });
});

describe('timer start events', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startEngine();
  });
  afterEach(() => t.close());

  const model = (id: string, def: string) =>
    bpmn(id, [start('TimerStart', def), end(), flow('TimerStart', 'End')].join('\n'));
  const started = async (processId: string) => (await t.engine.listInstances({ processId })).items;

  it('duration: starts exactly one instance once the duration after deployment passed', async () => {
    await t.engine.deploy(model('sem_tstart_duration', timer('timeDuration', 'PT0.2S')));
    expect(await started('sem_tstart_duration')).toHaveLength(0);
    await sleep(900);
    const items = await started('sem_tstart_duration');
    expect(items).toHaveLength(1);
    expect(items[0]!.status).toBe('completed');
    expect(await idsOf(t.engine, items[0]!.id, 'element-completed')).toEqual(['TimerStart', 'End']);
  });

  it('date: starts exactly one instance at the date', async () => {
    const at = new Date(Date.now() + 300).toISOString();
    await t.engine.deploy(model('sem_tstart_date', timer('timeDate', at)));
    await sleep(100);
    expect(await started('sem_tstart_date')).toHaveLength(0);
    await sleep(900);
    expect(await started('sem_tstart_date')).toHaveLength(1);
  });

  it('cycle: R2/PT0.2S starts exactly two instances', async () => {
    await t.engine.deploy(model('sem_tstart_cycle', timer('timeCycle', 'R2/PT0.2S')));
    await sleep(1200);
    expect(await started('sem_tstart_cycle')).toHaveLength(2);
  });

  it('a start timer neither fires twice nor gets lost across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-sem-timer-'));
    const dbPath = join(dir, 'baton.db');
    try {
      const first = await openEngine({ dbPath });
      first.start();
      await first.deploy(model('sem_tstart_restart', timer('timeDuration', 'PT0.4S')));
      await first.close();
      const second = await openEngine({ dbPath });
      second.start();
      await sleep(1000);
      expect((await second.listInstances({ processId: 'sem_tstart_restart' })).items).toHaveLength(1);
      await second.close();
      const third = await openEngine({ dbPath });
      third.start();
      await sleep(500);
      expect((await third.listInstances({ processId: 'sem_tstart_restart' })).items).toHaveLength(1);
      await third.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
