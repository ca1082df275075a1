/**
 * Assertions on a process instance that read like the process. Elements are named by id or by
 * name. Checks run in order once the chain is awaited, after the engine came to rest; the first
 * that does not hold throws an AssertionError (node:assert, so any test runner reports it) whose
 * message shows the instance's path and where it stands.
 *
 * @example
 *   await expectInstance(i)
 *     .toHaveCompleted('Pay', 'Ship')
 *     .toBeWaitingAt('Approve')
 *     .toHaveVariables({ approved: true })
 *     .toHaveNoIncidents();
 */
import { AssertionError } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import type { HistoryEntry, IncidentView, InstanceStatus, InstanceView } from '../runtime/api-types.js';
import type { Engine } from '../runtime/engine.js';
import type { ElementDef } from '../model/types.js';

/** An instance as the kit returns it, or its id. */
export type InstanceRef = string | { readonly id: string };

/** What the assertions read: the engine, brought to rest first. */
export interface AssertionTarget {
  readonly engine: Engine;
  settle(): Promise<void>;
}

/** A snapshot of the instance the checks run against. */
export interface InstanceSnapshot {
  readonly view: InstanceView;
  readonly history: readonly HistoryEntry[];
  readonly incidents: readonly IncidentView[];
  readonly elements: Readonly<Record<string, ElementDef>>;
}

type Check = (s: InstanceSnapshot) => string | undefined;

/** The chain `expectInstance` returns; await it to run the checks. */
export interface Expectation extends PromiseLike<InstanceView> {
  /** Every element completed at least once (by id or name). */
  toHaveCompleted(...elements: string[]): Expectation;
  /** The elements completed in this order (others may come between). */
  toHaveCompletedInOrder(...elements: string[]): Expectation;
  /** None of the elements was ever entered. */
  toNotHaveReached(...elements: string[]): Expectation;
  /** Every element holds a token now. */
  toBeWaitingAt(...elements: string[]): Expectation;
  /** Every compensation handler of these activities ran (the activities, by id or name). */
  toHaveCompensated(...elements: string[]): Expectation;
  /** The instance's variables include these, deeply equal. */
  toHaveVariables(expected: Record<string, unknown>): Expectation;
  toHaveNoIncidents(): Expectation;
  /** An open incident at the element, whose message contains `messagePart` when given. */
  toHaveIncidentAt(element: string, messagePart?: string): Expectation;
  toBeCompleted(): Expectation;
  toBeActive(): Expectation;
  toBeCancelled(): Expectation;
}

export class InstanceAssertion implements Expectation {
  private readonly checks: Check[] = [];
  private result: Promise<InstanceView> | undefined;

  constructor(
    private readonly target: AssertionTarget,
    private readonly ref: InstanceRef,
  ) {}

  toHaveCompleted(...elements: string[]): this {
    return this.each(elements, (s, ids, el) =>
      ids.some((id) => hasEntry(s, 'element-completed', id)) ? undefined : `Expected ${el} to have completed`,
    );
  }

  toHaveCompletedInOrder(...elements: string[]): this {
    return this.add((s) => {
      const done = s.history.filter((h) => h.type === 'element-completed').map((h) => h.elementId);
      let at = 0;
      for (const el of elements) {
        const ids = resolve(s, el);
        if (typeof ids === 'string') return ids;
        const found = done.findIndex((id, i) => i >= at && ids.includes(id!));
        if (found < 0)
          return `Expected ${elements.join(', ')} to have completed in this order, but ${el} did not follow`;
        at = found + 1;
      }
      return undefined;
    });
  }

  toNotHaveReached(...elements: string[]): this {
    return this.each(elements, (s, ids, el) =>
      ids.some((id) => hasEntry(s, 'element-activated', id)) ? `Expected ${el} never to have been reached` : undefined,
    );
  }

  toBeWaitingAt(...elements: string[]): this {
    return this.each(elements, (s, ids, el) =>
      ids.some((id) => s.view.activeElements.includes(id)) ? undefined : `Expected the instance to be waiting at ${el}`,
    );
  }

  toHaveCompensated(...elements: string[]): this {
    return this.each(elements, (s, ids, el) =>
      ids.some((id) => hasEntry(s, 'element-compensated', id)) ? undefined : `Expected ${el} to have been compensated`,
    );
  }

  toHaveVariables(expected: Record<string, unknown>): this {
    return this.add((s) => {
      const wrong = Object.entries(expected).filter(([k, v]) => !isDeepStrictEqual(s.view.variables[k], v));
      if (!wrong.length) return undefined;
      return wrong
        .map(
          ([k, v]) =>
            `Expected variable ${k} to be ${show(v)}, but it is ${k in s.view.variables ? show(s.view.variables[k]) : 'not set'}`,
        )
        .join('\n');
    });
  }

  toHaveNoIncidents(): this {
    return this.add((s) =>
      s.incidents.length ? `Expected no incidents, but there are ${s.incidents.length}` : undefined,
    );
  }

  toHaveIncidentAt(element: string, messagePart?: string): this {
    return this.each([element], (s, ids, el) =>
      s.incidents.some((i) => ids.includes(i.elementId) && (!messagePart || i.message.includes(messagePart)))
        ? undefined
        : `Expected an incident at ${el}${messagePart ? ` saying "${messagePart}"` : ''}`,
    );
  }

  toBeCompleted(): this {
    return this.status('completed');
  }
  toBeActive(): this {
    return this.status('active');
  }
  toBeCancelled(): this {
    return this.status('cancelled');
  }

  then<A = InstanceView, B = never>(
    onFulfilled?: ((v: InstanceView) => A | PromiseLike<A>) | null,
    onRejected?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.result ??= this.run();
    return this.result.then(onFulfilled, onRejected);
  }

  private status(status: InstanceStatus): this {
    return this.add((s) => (s.view.status === status ? undefined : `Expected the instance to be ${status}`));
  }

  private add(check: Check): this {
    if (this.result) throw new Error('Add checks before awaiting the assertion');
    this.checks.push(check);
    return this;
  }

  /** A check per element, given the element's ids (a name may name several). */
  private each(elements: string[], check: (s: InstanceSnapshot, ids: string[], el: string) => string | undefined) {
    return this.add((s) => {
      for (const el of elements) {
        const ids = resolve(s, el);
        const problem = typeof ids === 'string' ? ids : check(s, ids, el);
        if (problem) return problem;
      }
      return undefined;
    });
  }

  private async run(): Promise<InstanceView> {
    const s = await snapshot(this.target, typeof this.ref === 'string' ? this.ref : this.ref.id);
    for (const check of this.checks) {
      const problem = check(s);
      if (problem) throw new AssertionError({ message: `${problem}.\n${describeInstance(s)}` });
    }
    return s.view;
  }
}

async function snapshot(t: AssertionTarget, id: string): Promise<InstanceSnapshot> {
  await t.settle();
  const view = await t.engine.getInstance(id);
  if (!view) throw new AssertionError({ message: `Expected an instance ${id}, but there is none` });
  const def = await t.engine.store.read.definitions.byVersion(view.processId, view.version);
  return {
    view,
    history: (await t.engine.getHistory(id)) ?? [],
    incidents: await t.engine.listIncidents({ instanceId: id }),
    elements: def?.model.elements ?? {},
  };
}

/** The ids an element reference (id or name) names, or why it names none. */
function resolve(s: InstanceSnapshot, ref: string): string[] | string {
  if (s.elements[ref]) return [ref];
  const byName = Object.values(s.elements).filter((e) => e.name === ref);
  if (byName.length) return byName.map((e) => e.id);
  return `Expected an element with id or name "${ref}" in process ${s.view.processId}, but there is none`;
}

function hasEntry(s: InstanceSnapshot, type: string, id: string): boolean {
  return s.history.some((h) => h.type === type && h.elementId === id);
}

function label(s: InstanceSnapshot, id: string): string {
  const name = s.elements[id]?.name;
  return name ? `${name} [${id}]` : id;
}

function show(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

/** Where the instance stands and the path it took, for failure messages. */
export function describeInstance(s: InstanceSnapshot): string {
  const v = s.view;
  const path = s.history
    .filter((h) => h.elementId && (h.type === 'element-completed' || h.type === 'element-terminated'))
    .map((h) => label(s, h.elementId!) + (h.type === 'element-terminated' ? ' (terminated)' : ''));
  const lines = [
    `Instance ${v.id} of ${v.processId} v${v.version} is ${v.status}.`,
    `  path: ${path.join(' → ') || '(nothing completed)'}`,
    `  waiting at: ${v.activeElements.map((id) => label(s, id)).join(', ') || 'nothing'}`,
    `  incidents: ${s.incidents.map((i) => `${label(s, i.elementId)}: ${i.message}`).join('; ') || 'none'}`,
    `  variables: ${JSON.stringify(v.variables)}`,
  ];
  return lines.join('\n');
}
