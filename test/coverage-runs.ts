/**
 * Runnable documents for every supported cell of docs/bpmn-coverage.md, and a driver that runs one
 * through the pure core (test/core/harness.ts) until it ends: the event under test is triggered
 * first (a message, a signal, a timer, a condition, an error thrown by a job, an escalation or a
 * cancel thrown inside), then every job, user task, message, signal and timer left is worked off.
 * test/coverage.test.ts asserts what each run did, so that a cell the table marks supported is one
 * that works, not only one that compiles.
 */
import type { HistoryEvent } from '../engine/src/core/effects.js';
import type { Column, DefinitionKind } from '../scripts/coverage.js';
import { compile, CoreDriver } from './core/harness.js';
import { elementProbe, eventProbe } from './coverage-probes.js';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs" targetNamespace="http://baton.test">\n';
const ROOTS = [
  '<bpmn:message id="Msg" name="probe-message"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>',
  '<bpmn:signal id="Sig" name="probe-signal" />',
  '<bpmn:error id="Err" errorCode="PROBE" />',
  '<bpmn:escalation id="Esc" escalationCode="PROBE" />',
].join('\n');
const doc = (body: string) =>
  `${HEADER}${ROOTS}\n<bpmn:process id="P" isExecutable="true">\n${body}\n</bpmn:process>\n</bpmn:definitions>\n`;
const flow = (id: string, from: string, to: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const job = (id: string, extra = '') =>
  `<bpmn:serviceTask id="${id}"${extra}><bpmn:extensionElements><zeebe:taskDefinition type="probe" /></bpmn:extensionElements></bpmn:serviceTask>`;
const THROW_ESCALATION =
  '<bpmn:intermediateThrowEvent id="TE"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:intermediateThrowEvent>';
const CATCHER: Partial<Record<DefinitionKind, string>> = {
  error: '<bpmn:errorEventDefinition errorRef="Err" />',
  escalation: '<bpmn:escalationEventDefinition escalationRef="Esc" />',
  cancel: '<bpmn:cancelEventDefinition />',
};

/**
 * What happens inside the scope a boundary is attached to (or an event sub-process sits in): work
 * that waits (job W) while the event is triggered from outside, an escalation thrown before it, or a
 * cancel end event.
 */
function inner(kind: DefinitionKind): string {
  if (kind === 'escalation')
    return `<bpmn:startEvent id="IS" />${flow('F1', 'IS', 'TE')}${THROW_ESCALATION}${flow('F2', 'TE', 'W')}${job('W')}${flow('F3', 'W', 'IE')}<bpmn:endEvent id="IE" />`;
  if (kind === 'cancel')
    return `<bpmn:startEvent id="IS" />${flow('F1', 'IS', 'IE')}<bpmn:endEvent id="IE"><bpmn:cancelEventDefinition /></bpmn:endEvent>`;
  return `<bpmn:startEvent id="IS" />${flow('F1', 'IS', 'W')}${job('W')}${flow('F3', 'W', 'IE')}<bpmn:endEvent id="IE" />`;
}

/** The document a cell runs: the compile probe where it runs as it is, one with work inside where the event needs it. */
export function runnableProbe(kind: DefinitionKind, column: Column): string {
  const probe = eventProbe(kind, column);
  const def =
    /<bpmn:(?:boundaryEvent|startEvent) id="X"[^>]*>(.*?)<\/bpmn:(?:boundaryEvent|startEvent)>/.exec(probe)?.[1] ?? '';
  switch (column.key) {
    case 'boundary-int':
    case 'boundary-non': {
      const cancel = column.interrupting ? '' : ' cancelActivity="false"';
      const boundary = `<bpmn:boundaryEvent id="X" attachedToRef="T"${cancel}>${def}</bpmn:boundaryEvent>`;
      if (kind === 'compensate')
        return doc(
          `<bpmn:startEvent id="S" />${flow('F0', 'S', 'T')}<bpmn:transaction id="T">${inner('none')}</bpmn:transaction>${flow('F8', 'T', 'CT')}<bpmn:intermediateThrowEvent id="CT"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>${flow('F9', 'CT', 'E')}<bpmn:endEvent id="E" />${boundary}${job('H', ' isForCompensation="true"')}<bpmn:association id="A" associationDirection="One" sourceRef="X" targetRef="H" />`,
        );
      return doc(
        `<bpmn:startEvent id="S" />${flow('F0', 'S', 'T')}<bpmn:transaction id="T">${inner(kind)}</bpmn:transaction>${flow('F9', 'T', 'E')}<bpmn:endEvent id="E" />${boundary}${flow('F5', 'X', 'BE')}<bpmn:endEvent id="BE" />`,
      );
    }
    case 'esp-int':
    case 'esp-non': {
      const interrupting = column.interrupting ? '' : ' isInterrupting="false"';
      const esp = `<bpmn:subProcess id="Esp" triggeredByEvent="true"><bpmn:startEvent id="X"${interrupting}>${def}</bpmn:startEvent>${flow('F6', 'X', 'EE')}<bpmn:endEvent id="EE" /></bpmn:subProcess>`;
      const after =
        kind === 'compensate'
          ? `${flow('F8', 'Sub', 'CT')}<bpmn:intermediateThrowEvent id="CT"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>${flow('F9', 'CT', 'E')}`
          : flow('F9', 'Sub', 'E');
      return doc(
        `<bpmn:startEvent id="S" />${flow('F0', 'S', 'Sub')}<bpmn:subProcess id="Sub">${inner(kind)}${esp}</bpmn:subProcess>${after}<bpmn:endEvent id="E" />`,
      );
    }
    case 'end': {
      const catcher = CATCHER[kind];
      if (!catcher) return probe;
      return probe.replace(
        '</bpmn:process>',
        `<bpmn:boundaryEvent id="B" attachedToRef="T">${catcher}</bpmn:boundaryEvent>${flow('F5', 'B', 'BE')}<bpmn:endEvent id="BE" />\n</bpmn:process>`,
      );
    }
    default:
      return probe;
  }
}

/** What a run left: the driver, and the ids by history type. */
export interface ProbeRun {
  readonly d: CoreDriver;
  readonly status: string;
  readonly incidents: string[];
  of(type: string): string[];
}

const VARIABLES = { key: 'k', x: 0 };
/** Columns whose event X catches, so that the run triggers it (a process start event is started at instead). */
const CATCHES = new Set(['start-sub', 'esp-int', 'esp-non', 'catch', 'boundary-int', 'boundary-non']);

function triggerMessage(d: CoreDriver): boolean {
  const sub = [...d.subscriptions].find(([, s]) => s.kind === 'message');
  if (!sub) return false;
  d.send({ type: 'CorrelateMessage', subscriptionKey: sub[0], name: sub[1].name, variables: {} });
  return true;
}

function triggerSignal(d: CoreDriver): boolean {
  const sub = [...d.subscriptions].find(([, s]) => s.kind === 'signal');
  if (!sub) return false;
  d.send({ type: 'TriggerSignal', subscriptionKey: sub[0], variables: {} });
  return true;
}

/** Triggers the event of `kind` from outside the instance (kinds thrown inside need nothing here). */
function trigger(d: CoreDriver, kind: DefinitionKind): void {
  switch (kind) {
    case 'message':
      if (!triggerMessage(d)) throw new Error('no message subscription to trigger');
      return;
    case 'signal':
      if (!triggerSignal(d)) throw new Error('no signal subscription to trigger');
      return;
    case 'timer':
      if (d.timers.size === 0) throw new Error('no timer to fire');
      d.advance(2 * 3_600_000);
      return;
    case 'conditional':
      d.send({ type: 'SetVariables', variables: { x: 2 } });
      return;
    case 'error': {
      const w = [...d.jobs].find(([, j]) => j.elementId === 'W');
      if (!w) throw new Error('no job W to throw the error from');
      d.send({ type: 'ThrowJobError', jobKey: w[0], errorCode: 'PROBE' });
      return;
    }
    default:
  }
}

/** Works off what is left: jobs, user tasks, called children, messages, signals, then timers; one step at a time. */
function settle(d: CoreDriver): void {
  for (let step = 0; step < 50 && d.state.status === 'active'; step++) {
    const jobKey = d.jobs.keys().next().value;
    if (jobKey !== undefined) {
      d.send({ type: 'CompleteJob', jobKey });
      continue;
    }
    const taskId = d.userTasks.keys().next().value;
    if (taskId !== undefined) {
      d.send({ type: 'CompleteUserTask', taskId });
      continue;
    }
    const child = d.effects.find((e) => e.type === 'StartChildInstance' && !children.has(e));
    if (child?.type === 'StartChildInstance') {
      children.add(child);
      d.send({ type: 'CompleteChild', elementKey: child.elementKey, variables: {} });
      continue;
    }
    if (triggerMessage(d) || triggerSignal(d)) continue;
    if (d.timers.size) {
      d.advance(2 * 3_600_000);
      continue;
    }
    return;
  }
}
const children = new WeakSet<object>();

function result(d: CoreDriver): ProbeRun {
  const ids = (type: string) =>
    d.history.filter((h: HistoryEvent) => h.type === type && h.elementId).map((h) => h.elementId!);
  return { d, status: d.state.status, incidents: d.incidents().map((i) => i.message), of: ids };
}

/** Runs the cell's document: starts it (at X for a process start event), triggers `kind`, settles. */
export async function runEventCell(kind: DefinitionKind, column: Column): Promise<ProbeRun> {
  const d = new CoreDriver(await compile(runnableProbe(kind, column)));
  d.start(VARIABLES, undefined, column.key === 'start' ? 'X' : undefined);
  if (CATCHES.has(column.key)) trigger(d, kind);
  settle(d);
  return result(d);
}

/** Runs an element's document from start to end, working off whatever it waits for. */
export async function runElement(type: string): Promise<ProbeRun> {
  const d = new CoreDriver(await compile(elementProbe(type)!));
  d.start(VARIABLES);
  settle(d);
  return result(d);
}
