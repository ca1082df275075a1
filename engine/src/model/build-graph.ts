/**
 * Walks one bpmn:Process (and its sub-processes) into element drafts: containers, children,
 * start events, boundaries and compensation handlers. Flows are wired by build-flows.ts.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { buildActivity } from './build-activity.js';
import { buildEvent } from './build-event.js';
import { warnForeignAttributes } from './foreign.js';
import { Extensions, type BuildContext, type Draft } from './context.js';
import type { LineIndex } from './line-index.js';
import { readExecutionListeners } from './read-listeners.js';
import { IGNORED, SUPPORTED } from './supported.js';
import { emptyRecord } from '../core/plain-data.js';

/** A sequence flow found while walking, with the id of the scope it was declared in. */
export interface PendingFlow {
  readonly el: ModdleElement;
  readonly scope: string;
}

/** Element drafts of one process, by id, plus what the flow and compensation passes need. */
export interface ProcessDrafts {
  readonly root: Draft;
  readonly elements: Record<string, Draft>;
  readonly flows: PendingFlow[];
}

/** Walks `process` into drafts; problems go to the context's sink. */
export function buildDrafts(process: ModdleElement, lines: LineIndex, ctx: BuildContext): ProcessDrafts {
  const id = process.id as string;
  const root: Draft = { id, type: 'bpmn:Process', line: lines.lineOf(id) ?? 0, scope: '', incoming: [], outgoing: [] };
  if (process.name) root.name = process.name;
  const walker = new Walker(lines, ctx);
  walker.walk(process, root);
  walker.attachBoundaries();
  walker.linkCompensationHandlers();
  return { root, elements: walker.elements, flows: walker.flows };
}

/** One container being walked: its flow elements, how far the walk got, and what it found so far. */
interface Frame {
  readonly container: ModdleElement;
  readonly scope: Draft;
  readonly elements: readonly ModdleElement[];
  next: number;
  readonly children: string[];
  readonly startEvents: string[];
  readonly eventSubprocesses: string[];
}

function newFrame(container: ModdleElement, scope: Draft): Frame {
  const elements = (container.flowElements ?? []) as ModdleElement[];
  return { container, scope, elements, next: 0, children: [], startEvents: [], eventSubprocesses: [] };
}

class Walker {
  /** Without a prototype, so that an id such as `toString` is never mistaken for an element already seen. */
  readonly elements: Record<string, Draft> = emptyRecord();
  readonly flows: PendingFlow[] = [];
  private readonly associations: ModdleElement[] = [];

  constructor(
    private readonly lines: LineIndex,
    private readonly ctx: BuildContext,
  ) {}

  /**
   * Walks `container` and every container inside it, depth first in document order. An explicit
   * stack of frames stands in for recursion, so no nesting depth can overflow the call stack.
   */
  walk(container: ModdleElement, scope: Draft): void {
    const frames: Frame[] = [newFrame(container, scope)];
    for (let frame = frames[frames.length - 1]; frame; frame = frames[frames.length - 1]) {
      const el = frame.elements[frame.next++];
      if (!el) {
        this.finish(frame);
        frames.pop();
      } else if (el.$type === 'bpmn:SequenceFlow') {
        this.flows.push({ el, scope: frame.scope.id });
      } else {
        const draft = this.element(el, frame.scope.id);
        if (!draft) continue;
        frame.children.push(draft.id);
        if (draft.type === 'bpmn:StartEvent' && !draft.event) frame.startEvents.push(draft.id);
        if (draft.triggeredByEvent) frame.eventSubprocesses.push(draft.id);
        if (SUPPORTED[draft.type]?.family === 'container') frames.push(newFrame(el, draft));
      }
    }
  }

  /** A container is walked: collect its associations and fill its lists. */
  private finish(frame: Frame): void {
    for (const artifact of (frame.container.artifacts ?? []) as ModdleElement[]) {
      if (artifact.$type === 'bpmn:Association') this.associations.push(artifact);
    }
    frame.scope.children = frame.children;
    frame.scope.startEvents = frame.startEvents;
    frame.scope.eventSubprocesses = frame.eventSubprocesses;
  }

  private element(el: ModdleElement, scope: string): Draft | undefined {
    const sink = this.ctx.sink;
    if (IGNORED.has(el.$type)) return undefined;
    const id = el.id as string | undefined;
    if (!id) {
      sink.add(scope, `Expected every element in ${scope} to have an id, but a ${el.$type} has none`);
      return undefined;
    }
    const supported = SUPPORTED[el.$type];
    if (!supported) {
      sink.add(id, `Expected only elements Baton can execute, but ${el.$type} ${id} is not supported`);
      return undefined;
    }
    if (this.elements[id]) return undefined;
    const draft: Draft = { id, type: el.$type, line: this.lines.lineOf(id) ?? 0, scope, incoming: [], outgoing: [] };
    if (el.name) draft.name = el.name;
    const ext = new Extensions(el);
    if (supported.family === 'event') buildEvent(el, draft, ext, this.ctx);
    else if (supported.family === 'gateway') this.gateway(el, draft);
    else buildActivity(el, draft, ext, this.ctx);
    if (el.triggeredByEvent === true) draft.triggeredByEvent = true;
    readExecutionListeners(draft, ext, this.ctx);
    ext.reportUnread(id, sink);
    warnForeignAttributes(el, id, sink);
    if (el.retryCounter !== undefined)
      sink.warn(id, `The zeebe:retryCounter on ${id} is ignored: retries come from the zeebe:taskDefinition`);
    this.elements[id] = draft;
    return draft;
  }

  private gateway(el: ModdleElement, draft: Draft): void {
    const id = draft.id;
    if (el.default?.id) draft.defaultFlow = el.default.id;
    if (el.$type === 'bpmn:ComplexGateway') {
      const condition = this.ctx.expr(el.activationCondition?.body, id, 'the activation condition', { feelOnly: true });
      if (condition) draft.activationCondition = condition;
    }
    if (el.$type === 'bpmn:EventBasedGateway') {
      if (el.instantiate === true) {
        this.ctx.sink.add(
          id,
          `Expected event-based gateway ${id} not to instantiate the process, but instantiate="true"`,
        );
      }
      if (el.eventGatewayType !== undefined && el.eventGatewayType !== 'Exclusive') {
        this.ctx.sink.add(
          id,
          `Expected an exclusive event-based gateway ${id}, but eventGatewayType="${el.eventGatewayType}"`,
        );
      }
    }
  }

  attachBoundaries(): void {
    for (const draft of Object.values(this.elements)) {
      if (draft.type !== 'bpmn:BoundaryEvent' || !draft.attachedTo) continue;
      const host = this.elements[draft.attachedTo];
      const family = host ? SUPPORTED[host.type]?.family : undefined;
      if (!host || (family !== 'task' && family !== 'container')) {
        const what = host ? `a ${host.type}` : 'not an element of the process';
        this.ctx.sink.add(
          draft.id,
          `Expected boundary event ${draft.id} to be attached to an activity, but ${draft.attachedTo} is ${what}`,
        );
      } else if (host.scope !== draft.scope) {
        this.ctx.sink.add(
          draft.id,
          `Expected boundary event ${draft.id} to be in the same scope as ${host.id}, but it is in ${draft.scope}`,
        );
      } else {
        (host.boundaries ??= []).push(draft.id);
      }
    }
  }

  /** A compensation boundary event names its handler through an association (either direction). */
  linkCompensationHandlers(): void {
    for (const association of this.associations) {
      const ends = [association.sourceRef?.id, association.targetRef?.id] as (string | undefined)[];
      const [boundaryId, handlerId] = this.isCompensationBoundary(ends[0]) ? ends : [ends[1], ends[0]];
      if (!boundaryId || !handlerId || !this.isCompensationBoundary(boundaryId)) continue;
      const boundary = this.elements[boundaryId]!;
      if (boundary.compensationHandler !== undefined && boundary.compensationHandler !== handlerId) {
        this.ctx.sink.add(
          boundaryId,
          `Expected one compensation handler for ${boundaryId}, but it is associated with ${boundary.compensationHandler} and ${handlerId}`,
        );
        continue;
      }
      boundary.compensationHandler = handlerId;
    }
  }

  private isCompensationBoundary(id: string | undefined): boolean {
    const draft = id === undefined ? undefined : this.elements[id];
    return draft?.type === 'bpmn:BoundaryEvent' && draft.event?.kind === 'compensate';
  }
}
