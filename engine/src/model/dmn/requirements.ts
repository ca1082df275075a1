/**
 * The decision requirements graph: what each decision requires, whether those exist, and that
 * no decision requires itself through others.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { idOr, type DmnContext } from './check.js';

/** One `<requiredDecision>` or `<requiredInput>`: the id it names, and the requirement element's id. */
export interface Requirement {
  readonly id: string;
  readonly owner: string;
}

/** The information requirements of one decision, read from its `href`s. */
export interface Requirements {
  readonly decisions: readonly Requirement[];
  readonly inputs: readonly Requirement[];
}

/**
 * Reads the information requirements of `decision`. References into other documents and
 * business knowledge requirements are problems (imports and business knowledge models are not
 * supported); authority requirements are documentation and are skipped.
 */
export function readRequirements(decision: ModdleElement, ctx: DmnContext): Requirements {
  const id = decision.id as string;
  const decisions: Requirement[] = [];
  const inputs: Requirement[] = [];
  for (const requirement of (decision.informationRequirement ?? []) as ModdleElement[]) {
    const owner = idOr(requirement, id);
    for (const [ref, kind, list] of [
      [requirement.requiredDecision, 'decision', decisions],
      [requirement.requiredInput, 'input', inputs],
    ] as const) {
      if (!ref) continue;
      const target = localRef(ref as ModdleElement);
      if (target === null) {
        ctx.sink.add(
          owner,
          `Expected the required ${kind} of ${id} to be in the same document ("#id"), but found "${ref.href ?? ''}"`,
        );
      } else if (!list.some((r) => r.id === target)) {
        list.push({ id: target, owner });
      }
    }
  }
  for (const requirement of (decision.knowledgeRequirement ?? []) as ModdleElement[]) {
    ctx.sink.add(
      idOr(requirement, id),
      `Expected decision ${id} to require only decisions and input data, but it requires business knowledge "${requirement.requiredKnowledge?.href ?? ''}"; business knowledge models are not supported`,
    );
  }
  return { decisions, inputs };
}

/** `#id` -> `id`; null for a reference into another document or an empty one. */
function localRef(ref: ModdleElement): string | null {
  const href = typeof ref.href === 'string' ? ref.href.trim() : '';
  return href.startsWith('#') && href.length > 1 ? href.slice(1) : null;
}

/**
 * Files a problem for every required decision or input that does not exist, and for every
 * cycle of required decisions (once per cycle, on the decision where it is found).
 */
export function checkRequirements(
  requirements: ReadonlyMap<string, Requirements>,
  inputData: ReadonlySet<string>,
  ctx: DmnContext,
): void {
  for (const [id, { decisions, inputs }] of requirements) {
    for (const r of decisions) {
      if (!requirements.has(r.id)) {
        const what = inputData.has(r.id) ? `input data, not a decision` : 'no decision of this document';
        ctx.sink.add(r.owner, `Expected decision ${id} to require an existing decision, but "${r.id}" is ${what}`);
      }
    }
    for (const r of inputs) {
      if (!inputData.has(r.id)) {
        ctx.sink.add(
          r.owner,
          `Expected decision ${id} to require existing input data, but "${r.id}" is no input data of this document`,
        );
      }
    }
  }
  for (const cycle of findCycles(requirements)) {
    const path = [...cycle, cycle[0]].join(' -> ');
    ctx.sink.add(cycle[0]!, `Expected the decision requirements to form no cycle, but ${path} requires itself`);
  }
}

/**
 * The cycles a depth-first search meets (one per back edge), each as the decision ids along it.
 * Iterative, so a long chain of decisions cannot overflow the call stack.
 */
function findCycles(requirements: ReadonlyMap<string, Requirements>): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const cycles: string[][] = [];
  for (const root of requirements.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    state.set(root, 'active');
    while (path.length > 0) {
      const id = path[path.length - 1]!;
      const edges = requirements.get(id)!.decisions;
      const i = next[next.length - 1]!;
      if (i >= edges.length) {
        state.set(id, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const target = edges[i]!.id;
      if (!requirements.has(target)) continue;
      const seen = state.get(target);
      if (seen === 'active') cycles.push(path.slice(path.indexOf(target)));
      else if (seen === undefined) {
        state.set(target, 'active');
        path.push(target);
        next.push(0);
      }
    }
  }
  return cycles;
}
