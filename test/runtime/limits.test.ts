import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/src/runtime/api-types.js';
import { openEngine, type Engine } from '../../engine/src/runtime/engine.js';
import { bpmn, flow, job } from '../core/harness.js';
import { esc } from '../semantics/helpers.js';

const dirs: string[] = [];
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function engine(
  opts: { maxStateBytes?: number; maxHistory?: number; budgets?: { steps: number }; feelBudget?: number } = {},
): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-limits-'));
  dirs.push(dir);
  const e = await openEngine({ dbPath: join(dir, 'baton.db'), ...opts });
  engines.push(e);
  return e;
}

const LOOP = bpmn(
  'loop',
  `<bpmn:startEvent id="S" />${job('T', 't')}<bpmn:exclusiveGateway id="G" default="f4" /><bpmn:endEvent id="E" />
  ${flow('f1', 'S', 'T')}${flow('f2', 'T', 'G')}${flow('f3', 'G', 'T', '=again')}${flow('f4', 'G', 'E')}`,
);

describe('instance limits', () => {
  it('rejects a command that would make the variables too large, and changes nothing', async () => {
    // given an instance waiting at a job, with a 10 kB state limit
    const e = await engine({ maxStateBytes: 10_000 });
    await e.deploy(LOOP);
    const inst = await e.startInstance({ processId: 'loop', variables: { again: false } });
    // when a variable update would push the state over the limit
    const err = await e.setVariables(inst.id, { blob: 'x'.repeat(20_000) }).catch((x: unknown) => x);
    // then it is refused with a clear error and the instance is unchanged
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('VARIABLES_TOO_LARGE');
    expect((await e.getInstance(inst.id))!.variables).toEqual({ again: false });
    // and a start with oversized variables is refused too
    await expect(e.startInstance({ processId: 'loop', variables: { blob: 'x'.repeat(20_000) } })).rejects.toMatchObject(
      { code: 'VARIABLES_TOO_LARGE' },
    );
  });

  it('stops an instance at the history limit; cancelling it is still allowed', async () => {
    const e = await engine({ maxHistory: 40 });
    await e.deploy(LOOP);
    const inst = await e.startInstance({ processId: 'loop', variables: { again: true } });
    let refused: unknown;
    for (let i = 0; i < 20 && !refused; i++) {
      const [j] = await e.activateJobs({ type: 't', worker: 'w', maxJobs: 1 });
      refused = await e.completeJob(j!.key, { again: true }).then(
        () => undefined,
        (x: unknown) => x,
      );
    }
    expect((refused as EngineError).code).toBe('HISTORY_LIMIT_EXCEEDED');
    const before = (await e.getHistory(inst.id))!.length;
    expect(before).toBeLessThanOrEqual(40);
    const cancelled = await e.cancelInstance(inst.id, { reason: 'runaway' });
    expect(cancelled.status).toBe('cancelled');
  });

  it('a loop without a wait state is stopped by an incident after the step budget', async () => {
    const e = await engine({ budgets: { steps: 500 } });
    await e.deploy(
      bpmn(
        'spin',
        `<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" /><bpmn:task id="T" /><bpmn:endEvent id="E" />
      ${flow('f1', 'S', 'G')}${flow('f2', 'G', 'T', '=true')}${flow('f3', 'T', 'G')}${flow('f4', 'G', 'E', '=false')}`,
      ),
    );
    const inst = await e.startInstance({ processId: 'spin' });
    expect(inst.status).toBe('active');
    expect(inst.incidents.map((i) => i.type)).toEqual(['BUDGET_EXCEEDED']);
    expect(await e.listIncidents({ instanceId: inst.id })).toHaveLength(1);
  });

  it('a called process refused by a limit leaves an incident on the call activity, not a caller waiting forever', async () => {
    // given a parent that calls a child whose first step makes its state too large for a 5 kB limit
    const e = await engine({ maxStateBytes: 5_000 });
    const big = esc('=string join(for i in 1..n return "0123456789")');
    await e.deploy(
      bpmn(
        'child',
        `<bpmn:startEvent id="S" /><bpmn:scriptTask id="Big"><bpmn:extensionElements><zeebe:script expression="${big}" resultVariable="big" /></bpmn:extensionElements></bpmn:scriptTask>${job('W', 'w')}<bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'Big')}${flow('f2', 'Big', 'W')}${flow('f3', 'W', 'E')}`,
      ),
    );
    await e.deploy(
      bpmn(
        'parent',
        `<bpmn:startEvent id="S" /><bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="child" /></bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'Call')}${flow('f2', 'Call', 'E')}`,
      ),
    );
    // when the parent starts with variables that make the child too large
    const started = await e.startInstance({ processId: 'parent', variables: { n: 1_000 } });
    // then the parent waits at the call activity with an incident naming the refusal, and no child exists
    await expect.poll(async () => (await e.getInstance(started.id))!.incidents.length).toBe(1);
    const parent = (await e.getInstance(started.id))!;
    expect(parent.activeElements).toEqual(['Call']);
    expect(parent.incidents).toEqual([
      expect.objectContaining({
        elementId: 'Call',
        type: 'CALLED_INSTANCE_REFUSED',
        message: expect.stringMatching(
          /^Expected the called process child to start, but it was refused: Expected the variables of instance \d+ to stay within 5000 bytes/,
        ),
      }),
    ]);
    expect((await e.listInstances({})).total).toBe(1);
    // and once its variables are fixed, retrying the incident starts the child
    await e.setVariables(parent.id, { n: 1 });
    await e.retryIncident(parent.incidents[0]!.id, {});
    await expect.poll(async () => (await e.listInstances({})).total).toBe(2);
    const instances = (await e.listInstances({})).items;
    expect(instances.map((i) => [i.processId, i.status, i.activeElements])).toEqual(
      expect.arrayContaining([
        ['child', 'active', ['W']],
        ['parent', 'active', ['Call']],
      ]),
    );
    expect((await e.getInstance(parent.id))!.incidents).toEqual([]);
  });
});

describe('the FEEL budget', () => {
  it('is an engine option: an expression over it raises BUDGET_EXCEEDED; a bad value is refused at start', async () => {
    // given an engine whose FEEL evaluations may spend 10 work units
    const e = await engine({ feelBudget: 10 });
    await e.deploy(
      bpmn(
        'feel_budget',
        `<bpmn:startEvent id="S" /><bpmn:scriptTask id="T"><bpmn:extensionElements><zeebe:script expression="=for i in 1..n return i" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask><bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
      ),
    );
    // when one instance iterates 10 times and another 11 times
    const within = await e.startInstance({ processId: 'feel_budget', variables: { n: 10 } });
    const over = await e.startInstance({ processId: 'feel_budget', variables: { n: 11 } });
    // then the first completes, the second has a BUDGET_EXCEEDED incident
    expect((await e.getInstance(within.id))!.status).toBe('completed');
    expect(await e.listIncidents({ instanceId: over.id })).toEqual([
      expect.objectContaining({
        elementId: 'T',
        type: 'BUDGET_EXCEEDED',
        message: expect.stringMatching(/budget of 10/),
      }),
    ]);
    // and a budget that is no positive whole number is refused
    await expect(engine({ feelBudget: -1 })).rejects.toThrow(/BATON_FEEL_BUDGET/);
  });
});

describe('a continuation the instance refuses', () => {
  it('a timer whose firing would break a limit raises an incident that keeps it; its retry fires it once fixed', async () => {
    // given a 20 kB state limit, and an instance that waits on a timer, then builds a variable of `n` kB
    const e = await engine({ maxStateBytes: 20_000 });
    const big = esc('=string join(for i in 1..n return "0123456789")');
    await e.deploy(
      bpmn(
        'refused_timer',
        `<bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT0.2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:scriptTask id="Big"><bpmn:extensionElements><zeebe:script expression="${big}" resultVariable="big" /></bpmn:extensionElements></bpmn:scriptTask>${job('After', 'after')}<bpmn:endEvent id="E" />
        ${flow('f1', 'S', 'Wait')}${flow('f2', 'Wait', 'Big')}${flow('f3', 'Big', 'After')}${flow('f4', 'After', 'E')}`,
      ),
    );
    e.start();
    const inst = await e.startInstance({ processId: 'refused_timer', variables: { n: 3000 } });
    // when the timer fires and its continuation would make the state 30 kB
    await expect.poll(async () => (await e.getInstance(inst.id))!.incidents.length, { timeout: 10_000 }).toBe(1);
    // then the instance still waits at the timer, with an incident naming the limit, and no timer row is lost:
    // the refused firing is kept with the incident
    const waiting = (await e.getInstance(inst.id))!;
    expect(waiting.activeElements).toEqual(['Wait']);
    expect(waiting.incidents[0]).toMatchObject({ elementId: 'Wait', type: 'VARIABLES_TOO_LARGE' });
    expect(waiting.incidents[0]!.message).toMatch(/FireTimer is kept with this incident/);
    // and when the variable is fixed and the incident retried, the timer fires and the instance goes on
    await e.setVariables(inst.id, { n: 10 });
    await e.retryIncident(waiting.incidents[0]!.id, {});
    await expect
      .poll(async () => (await e.getInstance(inst.id))!.activeElements, { timeout: 10_000 })
      .toEqual(['After']);
    const history = (await e.getHistory(inst.id))!;
    expect(history.filter((h) => h.type === 'element-completed' && h.elementId === 'Wait')).toHaveLength(1);
    expect((await e.getInstance(inst.id))!.incidents).toEqual([]);
  });
});
