/**
 * The budgets through the real engine (SQLite file, processor, scheduler): configured by options and
 * BATON_* variables, the call depth carried from parent to child, and a stopped run kept in the
 * stored state so that an incident retry continues it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUDGETS, type Budgets } from '../../engine/src/core/budgets.js';
import { BudgetConfigError, resolveBudgets } from '../../engine/src/runtime/budget-options.js';
import { cpuMeter, cpuSpent } from '../../engine/src/runtime/cpu-meter.js';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow } from '../core/harness.js';
import { fanOut, selfCall, selfCallAfterTimer } from '../fixtures/attacks.js';
import { waitFor } from '../processes/helpers.js';

const dirs: string[] = [];
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function engine(budgets?: Partial<Budgets>): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-budgets-'));
  dirs.push(dir);
  const e = await openEngine({ dbPath: join(dir, 'baton.db'), ...(budgets ? { budgets } : {}) });
  engines.push(e);
  e.start();
  return e;
}

async function budgetIncidents(e: Engine) {
  return (await e.listIncidents({})).filter((i) => i.type === 'BUDGET_EXCEEDED');
}

describe('budget configuration', () => {
  it('takes options first, then BATON_* variables, then the defaults', () => {
    // given options for steps, variables for steps and tokens
    const env = { BATON_MAX_STEPS: '50', BATON_MAX_TOKENS: '70', BATON_MAX_CPU_MS: ' ' };
    // when resolved
    const b = resolveBudgets({ steps: 5 }, env);
    // then the option wins, the variable fills in, the rest are defaults
    expect(b).toEqual({ ...DEFAULT_BUDGETS, steps: 5, tokens: 70 });
  });

  it.each([
    [{}, { BATON_MAX_CALL_DEPTH: 'deep' }, 'BATON_MAX_CALL_DEPTH to be a whole number of at least 1, but got "deep"'],
    [{}, { BATON_MAX_NEW_ELEMENTS: '0' }, 'BATON_MAX_NEW_ELEMENTS'],
    [{}, { BATON_MAX_CPU_MS: '2.5' }, 'BATON_MAX_CPU_MS'],
    [{ tokens: -1 }, {}, 'the tokens budget'],
  ])('refuses a budget that is not a whole number of at least 1 (%j %j)', (given, env, message) => {
    expect(() => resolveBudgets(given, env)).toThrow(BudgetConfigError);
    expect(() => resolveBudgets(given, env)).toThrow(message);
  });

  it('an engine does not open with a wrong budget', async () => {
    await expect(engine({ steps: 0 })).rejects.toThrow('the steps budget');
  });
});

describe('the CPU time meter', () => {
  it('counts CPU time, not time spent waiting for a CPU', () => {
    // given a meter with a 5 ms limit
    const meter = cpuMeter(5);
    // when the thread sleeps 30 ms without using the CPU
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
    // then the meter stays below the limit
    expect(meter()).toBeLessThan(5);
    // when the thread computes for 30 ms of CPU time
    const c0 = process.cpuUsage();
    while (process.cpuUsage(c0).user < 30_000);
    // then the meter passes it
    expect(meter()).toBeGreaterThanOrEqual(5);
  });

  it('says when part of the budget is spent in CPU time, below the limit too (where the meter reads the wall clock)', () => {
    // given a meter with a 50 ms limit, asked about 5 ms
    const meter = cpuMeter(50);
    // when the thread sleeps 20 ms: the wall clock passed 5 ms, the CPU time did not
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(meter()).toBeGreaterThanOrEqual(5);
    expect(cpuSpent(meter, 5)).toBe(false);
    // when the thread computes for 10 ms of CPU time, then 5 ms are spent
    const c0 = process.cpuUsage();
    while (process.cpuUsage(c0).user < 10_000);
    expect(cpuSpent(meter, 5)).toBe(true);
  });
});

describe('call depth across instances', () => {
  it('a process calling itself without a wait state stops at the budget: one instance per level, the deepest with the incident', async () => {
    // given a process whose call activity calls itself, and a call depth budget of 5
    const e = await engine({ callDepth: 5 });
    await e.deploy(selfCall('self'));
    // when it is started
    const root = await e.startInstance({ processId: 'self' });
    // then levels 0..5 exist, all waiting, and only the deepest has an incident, on its call activity
    await expect.poll(async () => (await budgetIncidents(e)).length).toBe(1);
    const all = await e.listInstances({ processId: 'self', limit: 100 });
    expect(all.total).toBe(6);
    expect(all.items.every((i) => i.status === 'active')).toBe(true);
    const incidents = await budgetIncidents(e);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ elementId: 'Call', message: expect.stringContaining('at most 5 deep') });
    expect(incidents[0]!.instanceId).not.toBe(root.id);
    // and cancelling the root cancels the whole chain
    await e.cancelInstance(root.id);
    await expect
      .poll(async () => (await e.listInstances({ processId: 'self', limit: 100 })).items.map((i) => i.status))
      .toEqual(Array(6).fill('cancelled'));
  });

  it('also when every level first waits on a timer', async () => {
    // given a process that waits 50 ms and then calls itself, with a call depth budget of 3
    const e = await engine({ callDepth: 3 });
    await e.deploy(selfCallAfterTimer('self_t', 'PT0.05S'));
    // when it is started and the timers fire
    await e.startInstance({ processId: 'self_t' });
    // then the fourth level's call is refused with an incident, and no fifth level is started
    await waitFor('the call depth incident', async () => (await budgetIncidents(e)).length > 0, 10_000);
    expect((await e.listInstances({ processId: 'self_t', limit: 100 })).total).toBe(4);
    expect((await budgetIncidents(e))[0]!.message).toContain('would start level 4');
  });
});

describe('a stopped run in the stored state', () => {
  it('is continued from the database by retries, every path once', async () => {
    // given a fan-out of 20 x 20 paths and 15 new element instances per command
    const e = await engine({ newElements: 15 });
    await e.deploy(fanOut('fan', 20, 2));
    // when it starts
    const inst = await e.startInstance({ processId: 'fan' });
    // then it stopped with the incident
    expect(inst.incidents.map((i) => i.type)).toEqual(['BUDGET_EXCEEDED']);
    // when the incident is retried through the engine until none is left
    for (let n = 0; n < 500 && (await budgetIncidents(e)).length; n++)
      await e.retryIncident((await budgetIncidents(e))[0]!.id, {});
    // then the instance completed, each of the 400 paths reaching the end once
    expect((await e.getInstance(inst.id))!.status).toBe('completed');
    const ends = (await e.getHistory(inst.id))!.filter((h) => h.type === 'element-completed' && h.elementId === 'E');
    expect(ends).toHaveLength(400);
  });

  it('the CPU time budget stops a long run by the meter', async () => {
    // given a chain of 3000 tasks, a budget of 1 ms of CPU time and generous counted budgets
    const tasks = Array.from({ length: 3000 }, (_, i) => `<bpmn:task id="T${i}" />`).join('');
    const flows = Array.from({ length: 2999 }, (_, i) => flow(`c${i}`, `T${i}`, `T${i + 1}`)).join('');
    const e = await engine({ cpuMs: 1, steps: 1_000_000, newElements: 1_000_000 });
    await e.deploy(bpmn('long', `<bpmn:startEvent id="S" />${tasks}${flow('s', 'S', 'T0')}${flows}`));
    // when it starts
    const inst = await e.startInstance({ processId: 'long' });
    // then the CPU time budget stopped it
    expect(inst.incidents.map((i) => i.message)).toEqual([expect.stringContaining('1 ms of CPU time')]);
  });
});
