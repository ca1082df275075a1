/**
 * Names a model gives to things the engine keys objects by: element and flow ids, and the
 * variables it writes (mapping targets, script result variables, multi-instance input elements and
 * output collections). Names that reach JavaScript's object machinery (`__proto__`, `constructor`,
 * `prototype`, and as ids every `Object.prototype` member) are refused at deploy, as are targets
 * with empty segments or more segments than {@link MAX_TARGET_SEGMENTS}.
 */
import { MAX_TARGET_SEGMENTS, RESERVED_IDS, RESERVED_KEYS } from '../core/plain-data.js';
import type { ProblemSink } from './problems.js';
import type { ElementDef, ProcessModel } from './types.js';

/** Files a problem for every id and variable name of `model` the engine cannot use safely. */
export function validateNames(model: ProcessModel, sink: ProblemSink): void {
  for (const id of [model.id, ...Object.keys(model.elements), ...Object.keys(model.flows)]) {
    if (RESERVED_IDS.has(id)) {
      sink.add(id, `Expected an id other than a name JavaScript objects reserve, but found "${id}"; rename it`);
    }
  }
  for (const element of Object.values(model.elements)) {
    for (const m of element.inputs ?? []) checkTarget(element, m.target, 'input mapping target', sink);
    for (const m of element.outputs ?? []) checkTarget(element, m.target, 'output mapping target', sink);
    const single: Array<[string | undefined, string]> = [
      [element.script?.resultVariable, 'result variable'],
      [element.calledDecision?.resultVariable, 'decision result variable'],
      [element.multiInstance?.inputElement, 'input element'],
      [element.multiInstance?.outputCollection, 'output collection'],
    ];
    for (const [name, what] of single) if (name !== undefined) checkVariableName(element, name, what, sink);
  }
}

/** A mapping target: a variable name or a dotted path (`order.total`) of at most MAX_TARGET_SEGMENTS names. */
function checkTarget(element: ElementDef, target: string, what: string, sink: ProblemSink): void {
  const segments = target.split('.');
  const expected = `Expected the ${what} "${cut(target)}" of ${element.id} to be a variable name or a dotted path of names`;
  if (segments.some((s) => s.trim() === '')) {
    sink.add(element.id, `${expected}, but it has an empty segment`);
  } else if (segments.length > MAX_TARGET_SEGMENTS) {
    sink.add(element.id, `${expected} with at most ${MAX_TARGET_SEGMENTS} segments, but it has ${segments.length}`);
  } else {
    const reserved = segments.find((s) => RESERVED_KEYS.has(s));
    if (reserved !== undefined) sink.add(element.id, `${expected}, but it contains the reserved name "${reserved}"`);
  }
}

/** A single variable name (no path): anything but a reserved name. */
function checkVariableName(element: ElementDef, name: string, what: string, sink: ProblemSink): void {
  if (RESERVED_KEYS.has(name)) {
    sink.add(element.id, `Expected the ${what} of ${element.id} to be a variable name, but "${name}" is reserved`);
  }
}

function cut(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
