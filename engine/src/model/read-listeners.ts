/**
 * `zeebe:executionListeners` (Camunda 8.6+): start and end listeners of the process, activities,
 * events and gateways, read into {@link ExecutionListenersDef}. Where Camunda 8 refuses a listener
 * (a start listener on a start or boundary event, an end listener on a gateway or an error end
 * event, any listener on a compensation boundary event, two listeners of one event type and job
 * type), Baton refuses it too, with the same reason.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { BuildContext, Draft, Extensions } from './context.js';
import { readHeaders } from './read-zeebe.js';
import type { ListenerDef, TaskListenerDef, TaskListenerEvent } from './types.js';

const GATEWAYS = new Set([
  'bpmn:ExclusiveGateway',
  'bpmn:InclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:EventBasedGateway',
  'bpmn:ComplexGateway',
]);

/** Reads the execution listeners of `draft` (after its event fields are known) and checks where they stand. */
export function readExecutionListeners(draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const holder = ext.get('zeebe:ExecutionListeners');
  if (!holder) return;
  const id = draft.id;
  const start: ListenerDef[] = [];
  const end: ListenerDef[] = [];
  const seen = new Set<string>();
  for (const l of (holder.listeners ?? []) as ModdleElement[]) {
    const eventType = (l.eventType ?? 'start') as string;
    if (eventType !== 'start' && eventType !== 'end') {
      ctx.sink.add(
        id,
        `Expected the execution listeners of ${id} to have eventType "start" or "end", but found "${eventType}"`,
      );
      continue;
    }
    const type = ctx.expr(l.type, id, `the type of a ${eventType} execution listener`);
    if (!type || type.src.trim() === '') {
      ctx.sink.add(
        id,
        `Expected every execution listener of ${id} to have a job type, but a ${eventType} listener has none`,
      );
      continue;
    }
    const key = `${eventType}\u0000${type.feel ? '=' : ''}${type.src}`;
    if (seen.has(key)) {
      ctx.sink.add(
        id,
        `Expected the execution listeners of ${id} to have unique event and job types, but ${eventType} listener "${type.src}" is defined twice (as Camunda 8 refuses)`,
      );
      continue;
    }
    seen.add(key);
    const retries = ctx.expr(l.retries ?? '3', id, `the retries of execution listener "${type.src}"`) ?? {
      src: '3',
      feel: false,
    };
    if (!retries.feel && !/^\s*\d+\s*$/.test(retries.src))
      ctx.sink.add(
        id,
        `Expected the retries of execution listener "${type.src}" on ${id} to be a whole number, but found "${retries.src}"`,
      );
    (eventType === 'start' ? start : end).push({ type, retries, headers: readHeaders(id, l.headers, ctx) });
  }
  const refused = placementProblem(draft, start.length > 0, end.length > 0);
  if (refused) ctx.sink.add(id, refused);
  if (start.length || end.length)
    draft.listeners = { ...(start.length ? { start } : {}), ...(end.length ? { end } : {}) };
}

/** Camunda 8's rule of which elements may not have start or end listeners, as a problem sentence. */
function placementProblem(draft: Draft, hasStart: boolean, hasEnd: boolean): string | undefined {
  const id = draft.id;
  const why = '(Camunda 8 refuses it too)';
  if (draft.type === 'bpmn:BoundaryEvent' && draft.event?.kind === 'compensate' && (hasStart || hasEnd))
    return `Expected no execution listeners on compensation boundary event ${id}, but found some; put them on the compensation handler ${why}`;
  if (hasStart && draft.type === 'bpmn:StartEvent')
    return `Expected no start execution listeners on start event ${id}, but found some; use start listeners of the process or sub-process ${why}`;
  if (hasStart && draft.type === 'bpmn:BoundaryEvent')
    return `Expected no start execution listeners on boundary event ${id}, but found some; use start listeners of the activity it is attached to ${why}`;
  if (hasEnd && GATEWAYS.has(draft.type))
    return `Expected no end execution listeners on gateway ${id}, but found some; use start listeners of the element after it ${why}`;
  if (hasEnd && draft.type === 'bpmn:IntermediateThrowEvent' && draft.event?.kind === 'escalation')
    return `Expected no end execution listeners on escalation throw event ${id}, but found some ${why}`;
  if (hasEnd && draft.type === 'bpmn:EndEvent' && draft.event?.kind === 'error')
    return `Expected no end execution listeners on error end event ${id}, but found some; put them on the catching element ${why}`;
  return undefined;
}

/** Camunda's event type names (8.8, and the earlier ones of 8.6/8.7) -> the lifecycle event. */
const TASK_EVENTS: Readonly<Record<string, TaskListenerEvent | 'canceling'>> = {
  creating: 'creating',
  create: 'creating',
  assigning: 'assigning',
  assignment: 'assigning',
  updating: 'updating',
  update: 'updating',
  completing: 'completing',
  complete: 'completing',
  completion: 'completing',
  canceling: 'canceling',
  cancel: 'canceling',
};

/**
 * Reads `zeebe:taskListeners` of a user task. `canceling` listeners are refused (Baton ends a user
 * task at once when it is terminated); `updating` ones deploy with a warning, as Baton has no
 * operation that updates a user task, so they never run.
 */
export function readTaskListeners(id: string, ext: Extensions, ctx: BuildContext): TaskListenerDef[] | undefined {
  const holder = ext.get('zeebe:TaskListeners');
  if (!holder) return undefined;
  const out: TaskListenerDef[] = [];
  for (const l of (holder.listeners ?? []) as ModdleElement[]) {
    const raw = String(l.eventType ?? '');
    const eventType = TASK_EVENTS[raw];
    if (!eventType) {
      ctx.sink.add(
        id,
        `Expected the task listeners of ${id} to have eventType creating, assigning, updating, completing or canceling, but found "${raw}"`,
      );
      continue;
    }
    if (eventType === 'canceling') {
      ctx.sink.add(
        id,
        `Expected no canceling task listener on ${id}, but found one: Baton ends a user task at once when it is terminated and cannot wait for a listener job then`,
      );
      continue;
    }
    if (eventType === 'updating')
      ctx.sink.warn(
        id,
        `The updating task listener on ${id} never runs: Baton has no operation that updates a user task (assigning and completing listeners run)`,
      );
    const type = ctx.expr(l.type, id, `the type of a ${eventType} task listener`);
    if (!type || type.src.trim() === '') {
      ctx.sink.add(
        id,
        `Expected every task listener of ${id} to have a job type, but a ${eventType} listener has none`,
      );
      continue;
    }
    const retries = ctx.expr(l.retries ?? '3', id, `the retries of task listener "${type.src}"`) ?? {
      src: '3',
      feel: false,
    };
    out.push({ eventType, type, retries });
  }
  return out.length ? out : undefined;
}
