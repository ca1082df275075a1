/**
 * Straight-through runs (issue 16, item 7): in-process handlers that answer at once run inside the
 * command that created their jobs, so a chain of them is one commit; slower ones keep their job row
 * and run once, as before; failures take the usual path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import type { SqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { bpmn, flow, job } from '../core/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-straight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let engine: Engine | undefined;
let seq = 0;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function open(): Promise<Engine> {
  engine = await openEngine({ dbPath: join(dir, `s-${++seq}.db`) });
  engine.start();
  return engine;
}

/** Start → `n` service tasks of type `type` in a line → end. */
function line(id: string, type: string, n: number): string {
  let body = '<bpmn:startEvent id="S" />';
  let prev = 'S';
  for (let i = 1; i <= n; i++) {
    body += job(`T${i}`, type) + flow(`f${i}`, prev, `T${i}`);
    prev = `T${i}`;
  }
  return bpmn(id, `${body}<bpmn:endEvent id="E" />${flow('fe', prev, 'E')}`);
}

const jobRows = (e: Engine) =>
  ((e.store as SqliteStore).database.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;

async function completed(e: Engine, id: string): Promise<void> {
  await expect.poll(async () => (await e.getInstance(id))?.status, { timeout: 10_000, interval: 20 }).toBe('completed');
}

describe('straight-through runs of in-process handlers', () => {
  it('run a line of handlers that answer at once (plain or async) within the start: it answers completed', async () => {
    // given ten service tasks in a line, five with a plain handler and five with an async one
    const e = await open();
    const seen: string[] = [];
    e.handle('plain', (job) => {
      seen.push(job.elementId);
      return { [`v${job.elementId}`]: seen.length };
    });
    e.handle('async', async (job) => {
      seen.push(job.elementId);
      return { last: job.elementId };
    });
    let body = '<bpmn:startEvent id="S" />';
    let prev = 'S';
    for (let i = 1; i <= 10; i++) {
      body += job(`T${i}`, i % 2 ? 'plain' : 'async') + flow(`f${i}`, prev, `T${i}`);
      prev = `T${i}`;
    }
    await e.deploy(bpmn('mixed', `${body}<bpmn:endEvent id="E" />${flow('fe', prev, 'E')}`));

    // when an instance starts
    const started = await e.startInstance({ processId: 'mixed' });

    // then the start's own answer is the completed instance, every handler ran once, in order, with the variables
    expect(started.status).toBe('completed');
    expect(seen).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10']);
    expect(started.variables).toMatchObject({ vT1: 1, vT9: 9, last: 'T10' });
    // and the history is that of ten jobs completed; no job row is left
    const history = (await e.getHistory(started.id))!;
    expect(history.filter((h) => h.type === 'job-completed').map((h) => h.elementId)).toEqual(seen);
    expect(jobRows(e)).toBe(0);
  });

  it('leave a handler that waits for real work to run after the commit, once', async () => {
    // given a handler that waits 30 ms (a timer: not done within a few microtask turns)
    const e = await open();
    let calls = 0;
    e.handle('slow', async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 30));
      return { slow: true };
    });
    e.handle('fast', () => ({ fast: true }));
    await e.deploy(
      bpmn(
        'slowfast',
        `<bpmn:startEvent id="S" />${job('A', 'slow')}${job('B', 'fast')}<bpmn:endEvent id="E" />` +
          `${flow('f1', 'S', 'A')}${flow('f2', 'A', 'B')}${flow('f3', 'B', 'E')}`,
      ),
    );

    // when an instance starts
    const started = await e.startInstance({ processId: 'slowfast' });

    // then it answers at the slow task, whose job row exists, locked by this node
    expect(started.status).toBe('active');
    expect(started.activeElements).toEqual(['A']);
    expect(jobRows(e)).toBe(1);
    // and the call begun in the transaction is the job's run: the handler ran once, then the rest followed
    await completed(e, started.id);
    expect(calls).toBe(1);
    expect((await e.getInstance(started.id))!.variables).toMatchObject({ slow: true, fast: true });
    expect(jobRows(e)).toBe(0);
  });

  it('report a handler that throws as a failure of its job, with its retries, not inline', async () => {
    // given a handler that always throws, on a task with 2 retries
    const e = await open();
    let calls = 0;
    e.handle('broken', () => {
      calls++;
      throw new Error('no stock');
    });
    await e.deploy(
      bpmn(
        'broken',
        `<bpmn:startEvent id="S" /><bpmn:serviceTask id="T"><bpmn:extensionElements><zeebe:taskDefinition type="broken" retries="2" /></bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="E" />` +
          `${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );

    // when an instance starts
    const started = await e.startInstance({ processId: 'broken' });

    // then the start answers at the task, and the failure becomes an incident once the retries run out
    expect(started.status).toBe('active');
    await expect
      .poll(async () => (await e.getInstance(started.id))!.incidents.length, { timeout: 10_000, interval: 50 })
      .toBe(1);
    expect((await e.getInstance(started.id))!.incidents[0]!.message).toContain('no stock');
    expect(calls).toBe(2);
  });

  it('stop a loop of handlers after a bounded number of jobs per commit, and finish it in later ones', async () => {
    // given a service task looping back through a gateway 500 times
    const e = await open();
    let calls = 0;
    e.handle('count', (job) => ({ n: (job.variables['n'] as number) + 1, calls: ++calls }));
    await e.deploy(
      bpmn(
        'loop',
        `<bpmn:startEvent id="S" />${job('T', 'count')}<bpmn:exclusiveGateway id="G" default="back" /><bpmn:endEvent id="E" />` +
          `${flow('f1', 'S', 'T')}${flow('f2', 'T', 'G')}${flow('done', 'G', 'E', '=n >= 500')}${flow('back', 'G', 'T')}`,
      ),
    );

    // when it starts with n = 0
    const started = await e.startInstance({ processId: 'loop', variables: { n: 0 } });

    // then the start does not run the whole loop, and the loop still ends with each step run once
    expect(started.status).toBe('active');
    await completed(e, started.id);
    expect((await e.getInstance(started.id))!.variables).toMatchObject({ n: 500, calls: 500 });
  });

  it('let a message catch opened by a job run straight through take a buffered message, as its own command would', async () => {
    // given a service task with a plain handler before a message catch, and the message published first with a time to live
    const e = await open();
    e.handle('before', () => ({ done: true }));
    await e.deploy(
      bpmn(
        'buffered',
        `<bpmn:startEvent id="S" />${job('T', 'before')}<bpmn:intermediateCatchEvent id="C"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="E" />` +
          `${flow('f1', 'S', 'T')}${flow('f2', 'T', 'C')}${flow('f3', 'C', 'E')}`,
        `<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>`,
      ),
    );
    await e.publishMessage({ name: 'paid', correlationKey: 'k1', timeToLive: 'PT1M', variables: { paid: true } });

    // when an instance with that key starts
    const started = await e.startInstance({ processId: 'buffered', variables: { key: 'k1' } });

    // then the job ran in the start, the catch took the buffered message there, and the instance completed
    expect(started.status).toBe('completed');
    expect(started.variables).toMatchObject({ done: true, paid: true });
  });

  it('fall back to the command alone when the whole chain would pass the instance limits', async () => {
    // given an engine whose instances may have 20 history entries, and 10 in-process tasks in a line (more
    // than 20 entries) before a user task (the instance does not end: ending is always allowed)
    engine = await openEngine({ dbPath: join(dir, `s-${++seq}.db`), maxHistory: 20 });
    const e = engine;
    e.start();
    e.handle('step', () => ({}));
    await e.deploy(line('limited', 'step', 10).replace('<bpmn:endEvent id="E" />', '<bpmn:userTask id="E" />'));

    // when an instance starts, then the start itself is accepted (not refused for what its jobs would add)
    const started = await e.startInstance({ processId: 'limited' });
    expect(started.status).toBe('active');
    // and the limit stops the instance with an incident on a later step, as without straight-through runs
    await expect
      .poll(async () => (await e.getInstance(started.id))!.incidents.map((i) => i.type), { timeout: 10_000 })
      .toEqual(['HISTORY_LIMIT_EXCEEDED']);
  });

  it('are not taken before the engine runs its scheduler', async () => {
    // given an engine whose scheduler has not started
    engine = await openEngine({ dbPath: join(dir, `s-${++seq}.db`), jobLeaseMs: 50 });
    const e = engine;
    let calls = 0;
    e.handle('later', () => void calls++);
    await e.deploy(line('later', 'later', 2));

    // when an instance starts, then its first job waits with a row
    const started = await e.startInstance({ processId: 'later' });
    expect(started.status).toBe('active');
    expect(calls).toBe(0);
    expect(jobRows(e)).toBe(1);

    // and once the scheduler runs, the rest goes straight through
    e.start();
    await completed(e, started.id);
    expect(calls).toBe(2);
  });
});
