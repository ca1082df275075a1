/**
 * The element mapping of a migration (see ./migrate.ts): which element of the target version each
 * element of the source version becomes. An explicit instruction wins; without one an element maps
 * to the element of equal id and type. Catch events keep their subscription when they are mapped
 * to an equal event of the migrated element, and are closed (and the target's opened) otherwise.
 */
import type { ElementDef, ProcessModel } from '../model/types.js';

/** Maps one element of the source version to one of the target version (null: to none). */
export interface MappingInstruction {
  readonly sourceElementId: string;
  readonly targetElementId: string | null;
}

/** A reason the instance cannot migrate: the element (instance) it is about, and why. */
export interface MigrationProblem {
  readonly message: string;
  readonly elementId?: string;
  readonly elementKey?: string;
  readonly targetElementId?: string;
}

/** The two versions and the instructions: answers what an element becomes. */
export class ElementMapping {
  private readonly explicit = new Map<string, string | null>();

  constructor(
    readonly source: ProcessModel,
    readonly target: ProcessModel,
    instructions: readonly MappingInstruction[],
    problems: MigrationProblem[],
  ) {
    for (const i of instructions) {
      if (this.explicit.has(i.sourceElementId))
        problems.push({
          elementId: i.sourceElementId,
          message: `Expected each source element to be mapped once, but ${i.sourceElementId} is mapped more than once`,
        });
      const known = own(source.elements, i.sourceElementId) || own(source.flows, i.sourceElementId);
      if (!known)
        problems.push({
          elementId: i.sourceElementId,
          message: `Expected a mapping from an element of the instance's version of ${source.id}, but it has no element ${i.sourceElementId}`,
        });
      const t = i.targetElementId;
      if (t !== null && !own(target.elements, t) && !own(target.flows, t))
        problems.push({
          elementId: i.sourceElementId,
          targetElementId: t,
          message: `Expected ${i.sourceElementId} to be mapped to an element of the target version, but it has no element ${t}`,
        });
      this.explicit.set(i.sourceElementId, t);
    }
  }

  /** True when an instruction names this source element. */
  isExplicit(id: string): boolean {
    return this.explicit.has(id);
  }

  /** The target element id of a source element: explicit, else the equal id when the type is equal. */
  of(id: string): string | undefined {
    if (id === this.source.id) return this.target.id;
    if (this.explicit.has(id)) return this.explicit.get(id) ?? undefined;
    const s = own(this.source.elements, id);
    const t = own(this.target.elements, id);
    return s && t && s.type === t.type ? id : undefined;
  }

  /** The target sequence flow of a source flow taken into a joining gateway that becomes `gatewayId`. */
  flowOf(id: string, gatewayId: string): string | undefined {
    const t = this.explicit.has(id) ? (this.explicit.get(id) ?? undefined) : id;
    return t !== undefined && own(this.target.flows, t)?.target === gatewayId ? t : undefined;
  }

  src(id: string): ElementDef {
    return id === this.source.id ? this.source.root : this.source.elements[id]!;
  }

  tgt(id: string): ElementDef | undefined {
    return id === this.target.id ? this.target.root : own(this.target.elements, id);
  }
}

/** Why an element of one kind cannot become the other, or undefined when it can. */
export function kindChange(s: ElementDef, t: ElementDef): string | undefined {
  if (s.type !== t.type) return `${s.type.slice(5)} to ${t.type.slice(5)}`;
  if (!!s.multiInstance !== !!t.multiInstance || !!s.loop !== !!t.loop)
    return 'an activity with a multi-instance or loop marker and one without';
  if (s.multiInstance && s.multiInstance.sequential !== t.multiInstance!.sequential)
    return 'a parallel and a sequential multi-instance';
  if (!!s.triggeredByEvent !== !!t.triggeredByEvent) return 'an embedded and an event sub-process';
  if (!!s.job !== !!t.job || !!s.script !== !!t.script) return 'a job worker task and a FEEL script task';
  if ((s.event?.kind ?? 'none') !== (t.event?.kind ?? 'none'))
    return `a ${s.event?.kind ?? 'none'} event and a ${t.event?.kind ?? 'none'} event`;
  return undefined;
}

/** The events an element instance waits for with a wait of its own (see ./waits.ts). */
const WAITING_KINDS: ReadonlySet<string> = new Set(['timer', 'message', 'signal', 'conditional']);

/** True when two catch events wait for the same thing (same definition and expressions). */
export function sameTrigger(a: ElementDef, b: ElementDef): boolean {
  return JSON.stringify(a.event ?? null) === JSON.stringify(b.event ?? null);
}

/** The catch events an element instance of `el` owns in `model` (boundary events, event sub-process starts). */
export function ownedCatchEvents(
  model: ProcessModel,
  el: ElementDef,
  owner: { readonly iteration?: number; readonly interrupted?: boolean },
): ElementDef[] {
  const def = (id: string) => (id === model.id ? model.root : model.elements[id]!);
  const out: ElementDef[] = [];
  const body = (el.multiInstance || el.loop) && owner.iteration === undefined;
  if (owner.iteration === undefined) for (const b of el.boundaries ?? []) out.push(def(b));
  const scope = el.id === model.id || el.type === 'bpmn:SubProcess' || el.type === 'bpmn:Transaction';
  if (scope && !body && !el.triggeredByEvent && !owner.interrupted) {
    for (const esp of el.eventSubprocesses ?? []) {
      const start = (def(esp).children ?? []).map(def).find((c) => c.type === 'bpmn:StartEvent');
      if (start?.event) out.push(start);
    }
  }
  if (el.type === 'bpmn:EventBasedGateway') for (const f of el.outgoing) out.push(def(model.flows[f]!.target));
  return out.filter((e) => WAITING_KINDS.has(e.event?.kind ?? ''));
}

/** An own property of a record parsed from JSON (`constructor` is no element). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
