/**
 * The form checker: a Camunda Form (`.form`, the JSON schema Camunda Modeler and form-js write) ->
 * its id and version tag, or every problem that stops it from being deployed. Camunda 8 itself only
 * requires valid JSON with an id; Baton also refuses what form-js cannot render (components that
 * are not objects with a type, duplicate component ids) and warns about component types form-js
 * does not know (a custom renderer may provide them).
 *
 * @example
 * const { form, problems } = compileForm(text);
 * if (form === null) throw new InvalidFormError(problems); // 400 with component id and line
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import type { Problem } from '../types.js';

/** What a deployed form is known by. The schema itself stays the deployed text. */
export interface CompiledForm {
  readonly id: string;
  readonly versionTag?: string;
}

/** What {@link compileForm} answers: the form, or every problem (then `form` is null). */
export interface FormCompileResult {
  readonly form: CompiledForm | null;
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/** The component types of form-js 1.x (`@bpmn-io/form-js-viewer`). */
export const FORM_JS_TYPES: ReadonlySet<string> = new Set([
  'button',
  'checkbox',
  'checklist',
  'datetime',
  'documentPreview',
  'dynamiclist',
  'expression',
  'filepicker',
  'group',
  'html',
  'iframe',
  'image',
  'number',
  'radio',
  'select',
  'separator',
  'spacer',
  'table',
  'taglist',
  'text',
  'textarea',
  'textfield',
]);

/** Components nest (groups, dynamic lists) at most this deep. */
export const MAX_FORM_DEPTH = 32;

type Json = Record<string, unknown>;

/** 1-based line numbers of offsets in a text. */
class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Checks a form document; never throws for bad input. */
export function compileForm(text: string): FormCompileResult {
  const lines = new Lines(text);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  let schema: unknown;
  try {
    schema = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { form: null, problems: [parseProblem(err, text, lines)], warnings };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    const found = Array.isArray(schema) ? 'an array' : schema === null ? 'null' : typeof schema;
    problems.push({ elementId: null, line: 1, message: `Expected a form to be a JSON object, but it is ${found}` });
    return { form: null, problems, warnings };
  }
  const root = schema as Json;
  const id = root['id'];
  if (typeof id !== 'string' || id.trim() === '')
    problems.push({
      elementId: null,
      line: 1,
      message: `Expected the form to have an id (a non-empty string), but ${id === undefined ? 'it has none' : `found ${JSON.stringify(id)}`}`,
    });
  const versionTag = root['versionTag'];
  if (versionTag !== undefined && typeof versionTag !== 'string')
    problems.push({
      elementId: typeof id === 'string' ? id : null,
      line: lineOfKey(text, lines, 'versionTag'),
      message: `Expected the versionTag of the form to be a string, but found ${JSON.stringify(versionTag)}`,
    });
  checkComponents(root, { text, lines, problems, warnings, ids: new Set() }, 0);
  if (problems.length > 0) return { form: null, problems, warnings };
  return {
    form: Object.freeze({ id: (id as string).trim(), ...(typeof versionTag === 'string' ? { versionTag } : {}) }),
    problems,
    warnings,
  };
}

interface Walk {
  readonly text: string;
  readonly lines: Lines;
  readonly problems: Problem[];
  readonly warnings: Problem[];
  readonly ids: Set<string>;
}

/** Checks `owner.components` (the form or a group) and everything nested in it. */
function checkComponents(owner: Json, w: Walk, depth: number): void {
  const list = owner['components'];
  if (list === undefined) return;
  const ownerId = typeof owner['id'] === 'string' ? owner['id'] : null;
  if (!Array.isArray(list)) {
    w.problems.push({
      elementId: ownerId,
      line: lineOfKey(w.text, w.lines, 'components'),
      message: `Expected the components of ${ownerId ?? 'the form'} to be an array, but found ${describe(list)}`,
    });
    return;
  }
  if (depth >= MAX_FORM_DEPTH) {
    w.problems.push({
      elementId: ownerId,
      line: lineOfId(w, ownerId),
      message: `Expected components to nest at most ${MAX_FORM_DEPTH} levels deep, but ${ownerId ?? 'a group'} is deeper`,
    });
    return;
  }
  list.forEach((component: unknown, index) => checkComponent(component, index, ownerId, w, depth));
}

function checkComponent(component: unknown, index: number, ownerId: string | null, w: Walk, depth: number): void {
  const where = `component ${index + 1} of ${ownerId ?? 'the form'}`;
  if (typeof component !== 'object' || component === null || Array.isArray(component)) {
    w.problems.push({
      elementId: ownerId,
      line: null,
      message: `Expected ${where} to be an object, but found ${describe(component)}`,
    });
    return;
  }
  const c = component as Json;
  const id = typeof c['id'] === 'string' ? c['id'] : null;
  const type = c['type'];
  if (typeof type !== 'string' || type === '') {
    w.problems.push({
      elementId: id,
      line: lineOfId(w, id),
      message: `Expected ${id ? `component ${id}` : where} to have a type, but found ${describe(type)}`,
    });
  } else if (!FORM_JS_TYPES.has(type)) {
    w.warnings.push({
      elementId: id,
      line: lineOfId(w, id),
      message: `Expected a component type form-js renders, but ${id ?? where} has type "${type}"; it shows only where a custom renderer provides it`,
    });
  }
  if (id !== null) {
    if (w.ids.has(id))
      w.problems.push({
        elementId: id,
        line: lineOfId(w, id),
        message: `Expected every component id to be unique, but "${id}" is used twice; form-js refuses such a form`,
      });
    w.ids.add(id);
  }
  if (c['key'] !== undefined && typeof c['key'] !== 'string')
    w.problems.push({
      elementId: id,
      line: lineOfId(w, id),
      message: `Expected the key of ${id ?? where} to be a string, but found ${describe(c['key'])}`,
    });
  checkComponents(c, w, depth + 1);
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : JSON.stringify(value);
}

/** The line of the first `"id": "<id>"` in the text, or null. */
function lineOfId(w: Walk, id: string | null): number | null {
  if (id === null) return null;
  const at = w.text.search(new RegExp(`"id"\\s*:\\s*${escape(JSON.stringify(id))}`));
  return at < 0 ? null : w.lines.lineOf(at);
}

function lineOfKey(text: string, lines: Lines, key: string): number | null {
  const at = text.indexOf(`"${key}"`);
  return at < 0 ? null : lines.lineOf(at);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A JSON syntax error with the line it is on (found by jsonc-parser: V8's message has no position). */
function parseProblem(err: unknown, text: string, lines: Lines): Problem {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError)
    return { elementId: null, line: null, message: `Expected a form of nested JSON a parser can read, but ${message}` };
  const offset = errorOffset(text);
  const line = offset !== undefined ? lines.lineOf(offset) : text.trim() === '' ? 1 : null;
  return {
    elementId: null,
    line,
    message:
      text.trim() === ''
        ? 'Expected a form (JSON), but the resource is empty'
        : `Expected a form in valid JSON, but ${message}`,
  };
}

/** Where jsonc-parser finds the first syntax error; undefined when it cannot tell (or nests too deep to parse). */
function errorOffset(text: string): number | undefined {
  const errors: ParseError[] = [];
  try {
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch (err) {
    if (err instanceof RangeError) return undefined; // nested deeper than the parser's stack
    throw err;
  }
  return errors[0]?.offset;
}
