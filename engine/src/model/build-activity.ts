/**
 * Activity fields of an {@link ElementDef}: jobs, scripts, user tasks, call activities,
 * variable mappings and loops, read from BPMN attributes and zeebe extension elements.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { readMessage } from './build-event.js';
import { Extensions, type BuildContext, type Draft } from './context.js';
import { readAdHoc } from './read-adhoc.js';
import { readTaskListeners } from './read-listeners.js';
import { readCalledDecision, readUserTaskForm } from './read-links.js';
import { readJob, readMappings } from './read-zeebe.js';
import type { CalledElementDef } from './types.js';

/** Element types whose only behaviour is a job, so a zeebe:taskDefinition is required. */
const JOB_TASKS = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

/** Fills the task- and activity-specific fields of `draft` and reports what cannot run. */
export function buildActivity(el: ModdleElement, draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const id = draft.id;
  const type = el.$type;
  if (JOB_TASKS.has(type)) {
    if (type === 'bpmn:BusinessRuleTask' && ext.has('zeebe:CalledDecision')) {
      buildBusinessRule(draft, ext, ctx);
    } else {
      const job = readJob(id, ext, ctx);
      if (job) draft.job = job;
      else ctx.sink.add(id, `Expected a zeebe:taskDefinition with a type on ${type} ${id}, but found none`);
    }
  } else if (type === 'bpmn:ScriptTask') {
    buildScript(el, draft, ext, ctx);
  } else if (type === 'bpmn:UserTask') {
    buildUserTask(draft, ext, ctx);
  } else if (type === 'bpmn:ReceiveTask') {
    if (el.instantiate)
      ctx.sink.add(
        id,
        `Expected receive task ${id} not to instantiate the process, but instantiate="true"; use a message start event`,
      );
    const message = el.messageRef as ModdleElement | undefined;
    if (message && message.$type !== 'bpmn:Message') {
      ctx.sink.add(
        id,
        `Expected the messageRef of ${id} to name a bpmn:Message, but ${message.id ?? 'it'} is a ${message.$type}`,
      );
    } else {
      draft.event = readMessage(message, id, ctx);
    }
  } else if (type === 'bpmn:AdHocSubProcess') {
    readAdHoc(el, draft, ext, ctx);
  } else if (type === 'bpmn:CallActivity') {
    const calledElement = readCalledElement(id, ext, ctx);
    if (calledElement) draft.calledElement = calledElement;
  }
  readMappings(draft, ext, ctx);
  readActivityAttributes(el, draft, ctx);
}

function buildScript(el: ModdleElement, draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const id = draft.id;
  const foreign = el.script !== undefined || (el.scriptFormat && !/^feel$/i.test(el.scriptFormat));
  if (foreign) {
    ctx.sink.add(
      id,
      `Expected script task ${id} to use a FEEL zeebe:script, but found a ${el.scriptFormat ?? 'bpmn:script'} script; only FEEL is supported`,
    );
  }
  const script = ext.get('zeebe:Script');
  const job = readJob(id, ext, ctx);
  if (script && job) {
    ctx.sink.add(
      id,
      `Expected script task ${id} to have either a zeebe:script or a zeebe:taskDefinition, but it has both`,
    );
  } else if (script) {
    const expression = ctx.expr(script.expression, id, 'the script', { feelOnly: true });
    if (!expression) ctx.sink.add(id, `Expected a zeebe:script expression on ${id}, but it is empty`);
    else draft.script = { expression, ...(script.resultVariable ? { resultVariable: script.resultVariable } : {}) };
  } else if (job) {
    draft.job = job;
  } else if (!foreign) {
    ctx.sink.add(id, `Expected a zeebe:script or a zeebe:taskDefinition on script task ${id}, but found neither`);
  }
}

/** A business rule task that evaluates a decision in the engine (and has no job). */
function buildBusinessRule(draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const id = draft.id;
  if (ext.has('zeebe:TaskDefinition')) {
    ext.get('zeebe:TaskDefinition');
    ctx.sink.add(
      id,
      `Expected business rule task ${id} to have either a zeebe:calledDecision or a zeebe:taskDefinition, but it has both`,
    );
  }
  const called = readCalledDecision(id, ext, ctx);
  if (called) draft.calledDecision = called;
}

function buildUserTask(draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const id = draft.id;
  ext.get('zeebe:UserTask');
  ext.get('zeebe:TaskHeaders'); // worker metadata; Baton's user-task API carries none
  const assignment = ext.get('zeebe:AssignmentDefinition');
  const form = ext.get('zeebe:FormDefinition');
  const assignee = ctx.expr(assignment?.assignee, id, 'the assignee');
  const candidateGroups = ctx.expr(assignment?.candidateGroups, id, 'the candidate groups');
  const candidateUsers = ctx.expr(assignment?.candidateUsers, id, 'the candidate users');
  const listeners = readTaskListeners(id, ext, ctx);
  draft.userTask = {
    ...(listeners ? { listeners } : {}),
    ...(assignee ? { assignee } : {}),
    ...(candidateGroups ? { candidateGroups } : {}),
    ...(candidateUsers ? { candidateUsers } : {}),
    ...readUserTaskForm(draft, form, ctx),
  };
}

function readCalledElement(id: string, ext: Extensions, ctx: BuildContext): CalledElementDef | undefined {
  const called = ext.get('zeebe:CalledElement');
  const processId = ctx.expr(called?.processId, id, 'the called process id');
  if (!called || !processId || processId.src.trim() === '') {
    ctx.sink.add(id, `Expected a zeebe:calledElement with a processId on call activity ${id}, but found none`);
    return undefined;
  }
  const bindingType = (called.bindingType ?? 'latest') as string;
  if (bindingType !== 'latest' && bindingType !== 'versionTag' && bindingType !== 'deployment') {
    ctx.sink.add(
      id,
      `Expected the bindingType of ${id} to be latest, versionTag or deployment, but found "${bindingType}"`,
    );
  }
  if (bindingType === 'versionTag' && !called.versionTag) {
    ctx.sink.add(id, `Expected a versionTag on ${id} because its bindingType is versionTag, but found none`);
  }
  return {
    processId,
    propagateAllChildVariables: called.propagateAllChildVariables !== false, // Camunda 8's default: true
    propagateAllParentVariables: called.propagateAllParentVariables !== false,
    bindingType: bindingType as CalledElementDef['bindingType'],
    ...(called.versionTag ? { versionTag: called.versionTag as string } : {}),
  };
}

function readActivityAttributes(el: ModdleElement, draft: Draft, ctx: BuildContext): void {
  const id = draft.id;
  if (el.isForCompensation) draft.isForCompensation = true;
  if (el.default?.id) draft.defaultFlow = el.default.id;
  for (const quantity of ['startQuantity', 'completionQuantity'] as const) {
    if (el[quantity] !== undefined && Number(el[quantity]) !== 1) {
      ctx.sink.add(id, `Expected ${quantity} of ${id} to be 1, but found ${el[quantity]}`);
    }
  }
  const loop = el.loopCharacteristics as ModdleElement | undefined;
  if (!loop) return;
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
    const condition = ctx.expr(loop.loopCondition?.body, id, 'the loop condition', { feelOnly: true });
    const maximum = loop.loopMaximum === undefined ? undefined : Number(loop.loopMaximum);
    draft.loop = {
      testBefore: loop.testBefore === true,
      ...(condition ? { condition } : {}),
      ...(maximum !== undefined ? { maximum } : {}),
    };
  } else {
    readMultiInstance(loop, draft, ctx);
  }
}

function readMultiInstance(loop: ModdleElement, draft: Draft, ctx: BuildContext): void {
  const id = draft.id;
  const ext = new Extensions(loop);
  const zeebe = ext.get('zeebe:LoopCharacteristics');
  ext.reportUnread(id, ctx.sink);
  const native = [
    'loopDataInputRef',
    'loopDataOutputRef',
    'inputDataItem',
    'outputDataItem',
    'complexBehaviorDefinition',
  ];
  for (const name of native.filter((n) => loop[n] !== undefined && !(Array.isArray(loop[n]) && loop[n].length === 0))) {
    ctx.sink.add(id, `Expected multi-instance settings in zeebe:loopCharacteristics on ${id}, but found bpmn ${name}`);
  }
  if (loop.behavior !== undefined && loop.behavior !== 'All') {
    ctx.sink.add(id, `Expected multi-instance behavior "All" on ${id}, but found "${loop.behavior}"`);
  }
  const inputCollection = ctx.expr(zeebe?.inputCollection, id, 'the input collection', { feelOnly: true });
  const outputElement = ctx.expr(zeebe?.outputElement, id, 'the output element');
  const completionCondition = ctx.expr(loop.completionCondition?.body, id, 'the completion condition', {
    feelOnly: true,
  });
  const loopCardinality = ctx.expr(loop.loopCardinality?.body, id, 'the loop cardinality');
  if (!inputCollection && !loopCardinality) {
    ctx.sink.add(id, `Expected an inputCollection or a loopCardinality on multi-instance ${id}, but found neither`);
  }
  if (loopCardinality && !loopCardinality.feel && !/^\s*\d+\s*$/.test(loopCardinality.src)) {
    ctx.sink.add(
      id,
      `Expected the loop cardinality of ${id} to be a whole number or FEEL, but found "${loopCardinality.src}"`,
    );
  }
  if (zeebe?.inputElement && !inputCollection) {
    ctx.sink.add(id, `Expected an inputCollection on ${id} because it names an inputElement, but found none`);
  }
  if (Boolean(zeebe?.outputCollection) !== Boolean(outputElement)) {
    ctx.sink.add(id, `Expected both outputCollection and outputElement on ${id}, or neither, but found only one`);
  }
  draft.multiInstance = {
    sequential: loop.isSequential === true,
    ...(inputCollection ? { inputCollection } : {}),
    ...(zeebe?.inputElement ? { inputElement: zeebe.inputElement as string } : {}),
    ...(zeebe?.outputCollection ? { outputCollection: zeebe.outputCollection as string } : {}),
    ...(outputElement ? { outputElement } : {}),
    ...(completionCondition ? { completionCondition } : {}),
    ...(loopCardinality ? { loopCardinality } : {}),
  };
}
