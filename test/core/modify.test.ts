/**
 * Process instance modification in the pure core (issue 15, item 1): activate elements, terminate
 * element instances, move tokens — checked as a whole, applied atomically, recorded with who and why.
 */
import { describe, expect, it } from 'vitest';
import type { Modification, ModificationProblem } from '../../engine/src/core/modify.js';
import type { ProcessModel } from '../../engine/src/model/types.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

const MSG = `<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`;

/** S → A (job a) → B (message paid) → C (job c) → E */
async function line(): Promise<ProcessModel> {
  return compile(
    bpmn(
      'line',
      `<bpmn:startEvent id="S" />${job('A', 'a')}
      <bpmn:intermediateCatchEvent id="B"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
      ${job('C', 'c', '<zeebe:ioMapping><zeebe:input source="=amount * 2" target="double" /></zeebe:ioMapping>')}
      <bpmn:endEvent id="E" />
      ${flow('f1', 'S', 'A')}${flow('f2', 'A', 'B')}${flow('f3', 'B', 'C')}${flow('f4', 'C', 'E')}`,
      MSG,
    ),
  );
}

/** S → Sub(T1 (job t1) → T2 (job t2)) with a timer boundary → E, and a parallel task P beside it. */
async function withSub(multi = ''): Promise<ProcessModel> {
  return compile(
    bpmn(
      'sub',
      `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />
      <bpmn:subProcess id="Sub">${multi}
        <bpmn:startEvent id="SS" />${job('T1', 't1')}${job('T2', 't2')}<bpmn:endEvent id="SE" />
        ${flow('s1', 'SS', 'T1')}${flow('s2', 'T1', 'T2')}${flow('s3', 'T2', 'SE')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="Late" attachedToRef="Sub"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${job('P', 'p')}<bpmn:endEvent id="E" /><bpmn:endEvent id="E2" /><bpmn:endEvent id="ELate" />
      ${flow('f1', 'S', 'Fork')}${flow('f2', 'Fork', 'Sub')}${flow('f3', 'Fork', 'P')}${flow('f4', 'Sub', 'E')}
      ${flow('f5', 'P', 'E2')}${flow('f6', 'Late', 'ELate')}`,
    ),
  );
}

function modify(d: CoreDriver, modification: Modification): string | undefined {
  return d.send({ type: 'ModifyInstance', modification, actor: 'dana', reason: 'stuck' });
}

const keyOf = (d: CoreDriver, elementId: string) =>
  Object.values(d.state.elements).find((e) => e.elementId === elementId)!.key;

describe('instance modification: moving a token', () => {
  it('terminates the waiting catch event and activates the next task in one command, recorded with who and why', async () => {
    // given an instance waiting for a message at B
    const d = new CoreDriver(await line()).start({ orderId: 'o-1', amount: 21 });
    d.completeJob('a');
    expect(d.active()).toEqual(['B']);
    expect(d.subscriptions.size).toBe(1);
    // when the token moves from B to C
    const code = modify(d, { terminate: [{ elementKey: keyOf(d, 'B') }], activate: [{ elementId: 'C' }] });
    // then B is gone with its subscription, C waits with its job (input mappings applied), and the history says so
    expect(code).toBeUndefined();
    expect(d.active()).toEqual(['C']);
    expect(d.subscriptions.size).toBe(0);
    expect([...d.jobs.values()].map((j) => j.type)).toEqual(['c']);
    expect(d.state.vars[keyOf(d, 'C')]).toEqual({ double: 42 });
    const entry = d.history.find((h) => h.type === 'instance-modified')!;
    expect(entry).toMatchObject({ activated: ['C'], terminated: ['B'], actor: 'dana', reason: 'stuck' });
    expect(d.terminated()).toEqual(['B']);
    // and the instance runs on from C
    d.completeJob('c');
    expect(d.state.status).toBe('completed');
  });

  it('a move instruction does the same for every active instance of the source', async () => {
    const d = new CoreDriver(await line()).start({ orderId: 'o-1', amount: 1 });
    d.completeJob('a');
    // when
    expect(modify(d, { move: [{ sourceElementId: 'B', targetElementId: 'C' }] })).toBeUndefined();
    // then
    expect(d.active()).toEqual(['C']);
    expect(d.terminated()).toEqual(['B']);
  });

  it('activates with variables in the process scope and in the new element instance (before its input mappings)', async () => {
    const d = new CoreDriver(await line()).start({ orderId: 'o-1', amount: 1 });
    // when C is started beside A with variables for the process and for C itself
    const code = modify(d, {
      activate: [
        {
          elementId: 'C',
          variableInstructions: [{ variables: { fixed: true } }, { scopeId: 'C', variables: { amount: 50 } }],
        },
      ],
    });
    // then the process sees `fixed`, C's input mapping saw its local amount
    expect(code).toBeUndefined();
    expect(d.vars()).toMatchObject({ fixed: true, amount: 1 });
    expect(d.state.vars[keyOf(d, 'C')]).toEqual({ amount: 50, double: 100 });
    expect(d.active().sort()).toEqual(['A', 'C']);
  });
});

describe('instance modification: flow scopes', () => {
  it('creates the sub-process around a new token without starting it, arming its boundary event', async () => {
    // given a token at P only (the sub-process done)
    const d = new CoreDriver(await withSub()).start();
    d.completeJob('t1').completeJob('t2');
    expect(d.active()).toEqual(['P']);
    const timersBefore = d.timers.size;
    // when T2 is activated
    expect(modify(d, { activate: [{ elementId: 'T2' }] })).toBeUndefined();
    // then Sub exists again with T2 inside, its start event untouched, its boundary timer armed
    expect(d.active().sort()).toEqual(['P', 'Sub', 'T2']);
    expect(d.timers.size).toBe(timersBefore + 1);
    expect(d.history.filter((h) => h.type === 'element-activated' && h.elementId === 'SS')).toHaveLength(1);
    // and completing T2 completes the sub-process and goes on after it
    d.completeJob('t2');
    expect(d.completed().filter((x) => x === 'E')).toHaveLength(2);
    expect(d.timers.size).toBe(timersBefore);
  });

  it('refuses a token whose flow scope is ambiguous, names the candidates, and takes one chosen by ancestorKey', async () => {
    const multi = `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="n" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;
    const d = new CoreDriver(await withSub(multi)).start();
    expect(d.active().filter((e) => e === 'T1')).toHaveLength(2);
    const iterations = Object.values(d.state.elements).filter(
      (e) => e.elementId === 'Sub' && e.iteration !== undefined,
    );
    // when T2 is activated without saying in which iteration
    const before = structuredClone(d.state);
    const out = tryModify(d, { activate: [{ elementId: 'T2' }] });
    // then it is refused as the instance's state allows no choice, with both iterations named, and nothing changed
    expect(out).toMatchObject({ ok: false, status: 409, code: 'INVALID_MODIFICATION' });
    expect(problemsOf(out).details[0]!.candidates!.slice().sort()).toEqual(iterations.map((i) => i.key).sort());
    expect(d.state).toEqual(before);
    // when the second iteration is chosen, then T2 runs there
    expect(modify(d, { activate: [{ elementId: 'T2', ancestorKey: iterations[1]!.key }] })).toBeUndefined();
    const t2 = Object.values(d.state.elements).find((e) => e.elementId === 'T2')!;
    expect(t2.parent).toBe(iterations[1]!.key);
  });

  it('refuses an element inside a multi-instance sub-process that has no active iteration', async () => {
    const multi = `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1]" inputElement="n" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;
    const d = new CoreDriver(await withSub(multi)).start();
    d.completeJob('t1').completeJob('t2');
    expect(d.active()).toEqual(['P']);
    const out = tryModify(d, { activate: [{ elementId: 'T1' }] });
    expect(out).toMatchObject({ ok: false, status: 409 });
    expect((out as { message: string }).message).toContain('multi-instance Sub');
  });

  it('moves a token inside one iteration of a multi-instance sub-process, leaving the other iteration alone', async () => {
    const multi = `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="n" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;
    const d = new CoreDriver(await withSub(multi)).start();
    const first = Object.values(d.state.elements).find((e) => e.elementId === 'T1')!;
    // when the first iteration's T1 is terminated and T2 started in the same iteration
    expect(
      modify(d, {
        terminate: [{ elementKey: first.key }],
        activate: [{ elementId: 'T2', ancestorKey: first.parent! }],
      }),
    ).toBeUndefined();
    // then that iteration waits at T2 and the other still at T1
    const t2 = Object.values(d.state.elements).find((e) => e.elementId === 'T2')!;
    expect(t2.parent).toBe(first.parent);
    expect(d.active().filter((e) => e === 'T1')).toHaveLength(1);
  });
});

describe('instance modification: terminations', () => {
  it('terminating the last token of a sub-process terminates the sub-process; the other branch runs on', async () => {
    const d = new CoreDriver(await withSub()).start();
    expect(modify(d, { terminate: [{ elementId: 'T1' }] })).toBeUndefined();
    expect(d.active()).toEqual(['P']);
    expect(d.terminated().sort()).toEqual(['Sub', 'T1']);
    expect([...d.jobs.values()].map((j) => j.type)).toEqual(['p']);
    d.completeJob('p');
    // the sub-process was terminated, not completed: the path after it is not taken, and the instance ends
    expect(d.completed()).not.toContain('E');
    expect(d.state.status).toBe('completed');
  });

  it('terminating the last token ends the instance as cancelled', async () => {
    const d = new CoreDriver(await line()).start({ orderId: 'o-1' });
    expect(modify(d, { terminate: [{ elementId: 'A' }] })).toBeUndefined();
    expect(d.state.status).toBe('cancelled');
    expect(d.jobs.size).toBe(0);
    expect(d.history.at(-1)).toMatchObject({ type: 'process-cancelled', byModification: true });
  });

  it('terminating an element with an incident resolves the incident', async () => {
    const d = new CoreDriver(await line()).start({ orderId: 'o-1' });
    d.send({ type: 'FailJob', jobKey: d.jobOf('a'), retries: 0, errorMessage: 'down' });
    expect(d.incidents()).toHaveLength(1);
    expect(modify(d, { move: [{ sourceElementId: 'A', targetElementId: 'B' }] })).toBeUndefined();
    expect(d.incidents()).toHaveLength(0);
    expect(d.effects.some((e) => e.type === 'ResolveIncident')).toBe(true);
    expect(d.active()).toEqual(['B']);
  });

  it('a called instance may not be emptied by a modification (its caller would wait for ever)', async () => {
    const d = new CoreDriver(await line());
    d.start({ orderId: 'o-1' });
    (d.state as { parent?: unknown }).parent = { instanceId: '9', elementKey: '4' };
    const out = tryModify(d, { terminate: [{ elementId: 'A' }] });
    expect(out).toMatchObject({ ok: false, status: 409 });
    expect(d.state.status).toBe('active');
  });
});

describe('instance modification: refusals change nothing', () => {
  it.each([
    ['an unknown element', { activate: [{ elementId: 'Nope' }] }, 400],
    ['a name of the object machinery', { activate: [{ elementId: 'constructor' }] }, 400],
    ['a start event', { activate: [{ elementId: 'S' }] }, 400],
    ['a boundary event', { activate: [{ elementId: 'Late' }] }, 400],
    ['an element instance that does not exist', { terminate: [{ elementKey: '999' }] }, 409],
    ['the process instance itself', { terminate: [{ elementKey: '1' }] }, 400],
    ['an element with no active instance', { terminate: [{ elementId: 'T2' }] }, 409],
    ['an empty modification', {}, 400],
    [
      'variables for a scope that is not around the element',
      { activate: [{ elementId: 'P', variableInstructions: [{ scopeId: 'Sub', variables: { x: 1 } }] }] },
      400,
    ],
  ] as [string, Modification, number][])('%s', async (_what, modification, status) => {
    const d = new CoreDriver(await withSub()).start();
    const before = structuredClone(d.state);
    const out = tryModify(d, modification);
    expect(out).toMatchObject({ ok: false, status, code: 'INVALID_MODIFICATION' });
    expect(d.state).toEqual(before);
  });

  it('one impossible instruction refuses the whole modification, listing every problem', async () => {
    const d = new CoreDriver(await withSub()).start();
    const before = structuredClone(d.state);
    const out = tryModify(d, {
      activate: [{ elementId: 'E' }, { elementId: 'Nope' }],
      terminate: [{ elementId: 'P' }, { elementKey: '999' }],
    });
    expect(out).toMatchObject({ ok: false, status: 409 });
    expect(problemsOf(out).details.map((p) => p.instruction)).toEqual(['activate[1]', 'terminate[1]']);
    expect(d.state).toEqual(before);
  });

  it('refuses a token in a flow scope that the same modification terminates', async () => {
    const d = new CoreDriver(await withSub()).start();
    const out = tryModify(d, { terminate: [{ elementId: 'Sub' }], activate: [{ elementId: 'T2' }] });
    expect(out).toMatchObject({ ok: false, status: 409 });
  });
});

/** Sends the modification and returns the core's whole answer (the driver keeps only accepted ones). */
function tryModify(d: CoreDriver, modification: Modification) {
  return d.sendRaw({ type: 'ModifyInstance', modification });
}

/** The problems a refused modification lists. */
function problemsOf(out: ReturnType<CoreDriver['sendRaw']>): { details: ModificationProblem[] } {
  if (out.ok) throw new Error('expected a refusal');
  return { details: (out.details ?? []) as ModificationProblem[] };
}
