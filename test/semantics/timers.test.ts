/**
 * Timer rows in the runtime, on a fake clock (the engine's `now` option): a non-interrupting cycle
 * boundary repeats exactly its repetitions; timer start events (duration, date, cycle) fire exactly
 * once per due time, catch up after downtime by the one cycle rule, and neither fire twice nor get
 * lost across a restart; cycles faster than the minimum are refused at deploy.
 *
 * Nothing here sleeps and counts: the clock moves, the test polls (with a generous timeout) for
 * what that must cause, and "no more firings" is proven by the timer rows left in the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine, type EngineOptions } from '../../engine/src/runtime/engine.js';
import type { TimerRow } from '../../engine/src/storage/port.js';
import {
  bpmn,
  chain,
  completeUserTask,
  completions,
  end,
  flow,
  idsOf,
  start,
  timer,
  userTask,
  waitFor,
  waitStatus,
} from './helpers.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const PATIENCE_MS = 10_000;

/** An engine on a fresh SQLite file whose clock only moves when the test moves it. */
class ClockedEngine {
  now = Date.UTC(2026, 0, 31, 10);
  engine!: Engine;
  readonly dir = mkdtempSync(join(tmpdir(), 'baton-sem-timer-'));

  async open(opts: Partial<EngineOptions> = {}): Promise<Engine> {
    this.engine = await openEngine({ dbPath: join(this.dir, 'baton.db'), now: () => this.now, ...opts });
    this.engine.start();
    return this.engine;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** Every timer row left, soonest first. */
  timers(): Promise<TimerRow[]> {
    return this.engine.store.read.work.dueTimers(Number.MAX_SAFE_INTEGER, 100);
  }

  async close(): Promise<void> {
    await this.engine.close();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('timer boundary, cycle, non-interrupting', () => {
  let c: ClockedEngine;
  beforeEach(async () => {
    c = new ClockedEngine();
    await c.open();
  });
  afterEach(async () => {
    await c.close();
    c.remove();
  });

  it('fires R3/PT1S three times while the task stays active, then its timer is gone', async () => {
    // given an instance waiting at a user task with a non-interrupting R3/PT1S boundary
    const xml = bpmn(
      'sem_timer_cycle',
      [
        start(),
        userTask('Task'),
        end(),
        chain('Start', 'Task', 'End'),
        `<bpmn:boundaryEvent id="Tick" attachedToRef="Task" cancelActivity="false">${timer('timeCycle', 'R3/PT1S')}</bpmn:boundaryEvent>`,
        '<bpmn:task id="OnTick" />',
        end('TickEnd'),
        chain('Tick', 'OnTick', 'TickEnd'),
      ].join('\n'),
    );
    await c.engine.deploy(xml);
    const i = await c.engine.startInstance({ processId: 'sem_timer_cycle' });
    // when the clock passes each due time, then the boundary fires once per second
    for (let n = 1; n <= 3; n++) {
      expect(await (await c.timers()).map((t) => t.dueAt)).toEqual([c.now + SECOND]);
      c.advance(SECOND);
      await waitFor(`tick ${n}`, async () => (await completions(c.engine, i.id, 'TickEnd')) === n, PATIENCE_MS);
    }
    // then no timer is left, so it can fire no more, and the task is still active
    expect(await c.timers()).toEqual([]);
    expect(await completions(c.engine, i.id, 'Tick')).toBe(3);
    expect((await c.engine.getInstance(i.id))!.activeElements).toEqual(['Task']);
    await completeUserTask(c.engine, i.id, 'Task');
    await waitStatus(c.engine, i.id, 'completed', PATIENCE_MS);
    expect(await idsOf(c.engine, i.id, 'element-terminated')).toEqual([]);
  });
});

describe('timer start events', () => {
  let c: ClockedEngine;
  beforeEach(() => {
    c = new ClockedEngine();
  });
  afterEach(() => c.remove());

  const model = (id: string, def: string) =>
    bpmn(id, [start('TimerStart', def), end(), flow('TimerStart', 'End')].join('\n'));
  const started = async (processId: string) => (await c.engine.listInstances({ processId })).items;
  const waitStarted = (processId: string, n: number) =>
    waitFor(`${n} instance(s) of ${processId}`, async () => (await started(processId)).length >= n, PATIENCE_MS);

  it('duration: starts exactly one instance once the duration after deployment passed', async () => {
    await c.open();
    try {
      // given a start timer of PT10S deployed now
      await c.engine.deploy(model('sem_tstart_duration', timer('timeDuration', 'PT10S')));
      expect(await (await c.timers()).map((t) => t.dueAt)).toEqual([c.now + 10 * SECOND]);
      // when ten seconds pass, then one instance runs through, and no timer is left for another
      c.advance(10 * SECOND);
      await waitStarted('sem_tstart_duration', 1);
      expect(await c.timers()).toEqual([]);
      const [item] = await started('sem_tstart_duration');
      await waitStatus(c.engine, item!.id, 'completed', PATIENCE_MS);
      expect(await idsOf(c.engine, item!.id, 'element-completed')).toEqual(['TimerStart', 'End']);
    } finally {
      await c.close();
    }
  });

  it('date: starts exactly one instance at the date', async () => {
    await c.open();
    try {
      // given a start timer an hour ahead, written with an offset
      const due = c.now + HOUR;
      const at = new Date(due).toISOString().replace('Z', '+00:00');
      await c.engine.deploy(model('sem_tstart_date', timer('timeDate', at)));
      expect(await (await c.timers()).map((t) => t.dueAt)).toEqual([due]);
      // when the date comes, then one instance, and no timer left
      c.advance(HOUR);
      await waitStarted('sem_tstart_date', 1);
      expect(await c.timers()).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('cycle: R2/PT10S starts exactly two instances, ten seconds apart', async () => {
    await c.open();
    try {
      const t0 = c.now;
      await c.engine.deploy(model('sem_tstart_cycle', timer('timeCycle', 'R2/PT10S')));
      // when the clock passes the first due time, then one instance and the second firing is due 10 s later
      c.advance(10 * SECOND);
      await waitStarted('sem_tstart_cycle', 1);
      expect(await (await c.timers()).map((t) => t.dueAt)).toEqual([t0 + 20 * SECOND]);
      // when it passes the second, then two instances and the cycle is done
      c.advance(10 * SECOND);
      await waitStarted('sem_tstart_cycle', 2);
      expect(await c.timers()).toEqual([]);
      expect(await started('sem_tstart_cycle')).toHaveLength(2);
    } finally {
      await c.close();
    }
  });

  it('cycle after downtime: one instance for all missed occurrences, the next an interval after now', async () => {
    // given R5/PT1H deployed at 10:00, and the engine down until 13:30
    await c.open();
    const t0 = c.now;
    await c.engine.deploy(model('sem_tstart_catchup', timer('timeCycle', 'R5/PT1H')));
    await c.close();
    c.advance(3.5 * HOUR);
    // when it comes back
    await c.open();
    try {
      // then one instance, and the next firing at 14:30 with three repetitions left
      await waitStarted('sem_tstart_catchup', 1);
      expect(await (await c.timers()).map((t) => [t.dueAt - t0, JSON.parse(t.repeat!)])).toEqual([
        [4.5 * HOUR, { spec: 'R5/PT1H', left: 3 }],
      ]);
      expect(await started('sem_tstart_catchup')).toHaveLength(1);
    } finally {
      await c.close();
    }
  });

  it('a start timer neither fires twice nor gets lost across a restart', async () => {
    // given a PT10S start timer deployed, and the engine closed before it is due
    await c.open();
    await c.engine.deploy(model('sem_tstart_restart', timer('timeDuration', 'PT10S')));
    await c.close();
    // when a second engine runs past the due time
    await c.open();
    try {
      c.advance(10 * SECOND);
      await waitStarted('sem_tstart_restart', 1);
    } finally {
      await c.close();
    }
    // then a third engine finds no timer left and the one instance
    c.advance(HOUR);
    await c.open();
    try {
      expect(await c.timers()).toEqual([]);
      expect(await started('sem_tstart_restart')).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});

describe('the minimum timer cycle at deploy', () => {
  let c: ClockedEngine;
  beforeEach(() => {
    c = new ClockedEngine();
  });
  afterEach(async () => {
    await c.close();
    c.remove();
  });

  const fast = bpmn(
    'sem_fast_start',
    [start('TimerStart', timer('timeCycle', 'R999999/PT0.001S')), end(), flow('TimerStart', 'End')].join('\n'),
  );

  it('refuses R999999/PT0.001S with 400 INVALID_BPMN naming the timer and its line, and schedules nothing', async () => {
    await c.open();
    // when deployed, then refused
    await expect(c.engine.deploy(fast)).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_BPMN',
      details: [
        {
          elementId: 'TimerStart',
          line: fast.split('\n').findIndex((l) => l.includes('id="TimerStart"')) + 1,
          message: expect.stringMatching(/at most once every 1 s .*not every 1 ms/),
        },
      ],
    });
    expect(await c.engine.listProcesses()).toEqual([]);
    expect(await c.timers()).toEqual([]);
  });

  it('accepts it under a lower minimum set on the engine', async () => {
    await c.open({ minTimerCycleMs: 1 });
    await c.engine.deploy(fast);
    expect(await (await c.timers()).map((t) => t.dueAt)).toEqual([c.now + 1]);
  });
});
