/**
 * The first half of a deployment, outside any transaction: every resource (BPMN, DMN, Camunda
 * Form) is recognised, compiled and checked, alone and against the others of the deployment. One
 * problem anywhere refuses the whole deployment with every problem found, each naming its resource,
 * element id and line; what deploys but may fail when it runs comes back as warnings.
 */
import { createHash } from 'node:crypto';
import { compileBpmn } from '../model/compile.js';
import { compileDmn } from '../model/dmn/compile.js';
import type { DecisionGraph } from '../model/dmn/types.js';
import { compileForm, type CompiledForm } from '../model/form/compile.js';
import type { CompileOptions, ProcessModel, Problem } from '../model/types.js';
import type { ResourceKind } from '../storage/port.js';
import { EngineError } from './api-types.js';
import { linkWarnings } from './deploy-links.js';

/** One file to deploy. Without a name, one is made from its kind and id (`order.bpmn`). */
export interface DeploymentResource {
  readonly name?: string;
  readonly content: string;
}

/** A problem or warning of a deployment: where it is, in which resource. */
export interface DeploymentProblem extends Problem {
  /** The resource's name (absent for one sent without a name that could not be compiled). */
  readonly resource?: string;
}

/** `problem` located in resource `name` (none when the resource has no name). */
function located(name: string | null | undefined, problem: Problem): DeploymentProblem {
  return name ? { resource: name, ...problem } : { ...problem };
}

/** A resource that compiled, with what it deploys. */
export interface CompiledResource {
  readonly name: string;
  readonly kind: ResourceKind;
  readonly checksum: string;
  readonly content: string;
  readonly processes?: readonly ProcessModel[];
  readonly graph?: DecisionGraph;
  readonly form?: CompiledForm;
}

/** Most resources in one deployment. */
export const MAX_RESOURCES = 100;
/** Longest resource name. */
export const MAX_RESOURCE_NAME = 255;

const CODES: Readonly<Record<ResourceKind, string>> = {
  bpmn: 'INVALID_BPMN',
  dmn: 'INVALID_DMN',
  form: 'INVALID_FORM',
};
const WORDS: Readonly<Record<ResourceKind, string>> = { bpmn: 'BPMN', dmn: 'DMN', form: 'form' };

/**
 * Compiles every resource of a deployment; throws a 400 {@link EngineError} with every problem
 * (code `INVALID_BPMN`, `INVALID_DMN` or `INVALID_FORM` after the kind of the first resource with a
 * problem, `INVALID_DEPLOYMENT` for a problem of the deployment as a whole).
 */
export async function compileDeployment(
  input: readonly DeploymentResource[],
  options: CompileOptions = {},
): Promise<{ resources: CompiledResource[]; warnings: DeploymentProblem[] }> {
  refuseShape(input);
  const problems: { kind: ResourceKind | null; problem: DeploymentProblem }[] = [];
  const warnings: DeploymentProblem[] = [];
  const resources: CompiledResource[] = [];
  for (const r of input) {
    const kind = kindOf(r);
    if (typeof kind !== 'string') {
      problems.push({ kind: null, problem: located(r.name, { elementId: null, line: null, message: kind.problem }) });
      continue;
    }
    const out = await compileOne(r, kind, options);
    for (const w of out.warnings) warnings.push(located(out.name, w));
    for (const p of out.problems) problems.push({ kind, problem: located(out.name, p) });
    if (out.compiled) resources.push(out.compiled);
  }
  if (problems.length === 0) for (const p of crossProblems(resources)) problems.push({ kind: null, problem: p });
  if (problems.length > 0) throw refusal(problems);
  warnings.push(...linkWarnings(resources));
  return { resources, warnings };
}

/** A deployment without resources, with too many, or with two of one name. */
function refuseShape(input: readonly DeploymentResource[]): void {
  const fail = (message: string, details: unknown[] = []) => {
    throw new EngineError(400, 'INVALID_DEPLOYMENT', message, details);
  };
  if (input.length === 0) fail('Expected at least one resource to deploy, but the deployment has none');
  if (input.length > MAX_RESOURCES)
    fail(`Expected at most ${MAX_RESOURCES} resources in one deployment, but it has ${input.length}`);
  const seen = new Set<string>();
  for (const r of input) {
    if (r.name === undefined) continue;
    // eslint-disable-next-line no-control-regex
    if (r.name.trim() === '' || r.name.length > MAX_RESOURCE_NAME || /[\u0000-\u001f\u007f]/.test(r.name))
      fail(
        `Expected resource names of 1 to ${MAX_RESOURCE_NAME} characters without control characters, but found ${JSON.stringify(r.name.slice(0, 80))}`,
        [{ resource: r.name.slice(0, MAX_RESOURCE_NAME), elementId: null, line: null, message: 'bad resource name' }],
      );
    if (seen.has(r.name))
      fail(`Expected every resource of a deployment to have its own name, but "${r.name}" is there twice`, [
        { resource: r.name, elementId: null, line: null, message: 'duplicate resource name' },
      ]);
    seen.add(r.name);
  }
}

/**
 * The kind of a resource: by its name (`.bpmn`, `.dmn`, `.form`, as Camunda 8 decides), and for a
 * name ending in `.xml` or no name by its content (a DMN root element, a JSON object, else BPMN).
 */
export function kindOf(r: DeploymentResource): ResourceKind | { problem: string } {
  const name = r.name?.toLowerCase();
  if (name?.endsWith('.bpmn') || name?.endsWith('.bpmn20.xml')) return 'bpmn';
  if (name?.endsWith('.dmn') || name?.endsWith('.dmn11.xml')) return 'dmn';
  if (name?.endsWith('.form')) return 'form';
  if (name !== undefined && !name.endsWith('.xml'))
    return {
      problem: `Expected a resource named *.bpmn, *.dmn, *.form or *.xml, but found "${r.name}"; its kind is unknown`,
    };
  const text = r.content.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{')) return 'form';
  return isDmnRoot(text) ? 'dmn' : 'bpmn';
}

/** Whether the first element of an XML text is in a DMN namespace (the compiler names an unsupported version). */
function isDmnRoot(xml: string): boolean {
  const rest = xml.replace(/^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->))*/, '');
  const tag = /^\s*<([\w.-]+:)?definitions\b([^>]*)>/.exec(rest);
  if (!tag) return false;
  const prefix = tag[1] ? tag[1].slice(0, -1) : '';
  const attr = new RegExp(`\\sxmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`).exec(tag[2] ?? '');
  return /omg\.org\/spec\/DMN\//i.test(attr?.[1] ?? '');
}

async function compileOne(
  r: DeploymentResource,
  kind: ResourceKind,
  options: CompileOptions,
): Promise<{
  name: string | null;
  compiled?: CompiledResource;
  problems: readonly Problem[];
  warnings: readonly Problem[];
}> {
  const checksum = createHash('sha256').update(r.content).digest('hex');
  const base = { kind, checksum, content: r.content };
  if (kind === 'bpmn') {
    const { processes, problems, warnings } = await compileBpmn(r.content, options);
    const name = r.name ?? (processes[0] ? `${processes[0].id}.bpmn` : null);
    if (problems.length || !processes.length || name === null)
      return { name, problems: problems.length ? problems : [noneFound('an executable process')], warnings };
    return { name, compiled: { ...base, name, processes }, problems, warnings };
  }
  if (kind === 'dmn') {
    const { graph, problems } = await compileDmn(r.content);
    const name = r.name ?? (graph ? `${graph.id || 'decisions'}.dmn` : null);
    if (!graph || name === null)
      return { name, problems: problems.length ? problems : [noneFound('a decision')], warnings: [] };
    return { name, compiled: { ...base, name, graph }, problems, warnings: [] };
  }
  const { form, problems, warnings } = compileForm(r.content);
  const name = r.name ?? (form ? `${form.id}.form` : null);
  if (!form || name === null) return { name, problems, warnings };
  return { name, compiled: { ...base, name, form }, problems, warnings };
}

function noneFound(what: string): Problem {
  return { elementId: null, line: null, message: `Expected ${what} in the resource, but found none` };
}

/** Ids two resources of one deployment both define (Camunda 8 refuses such a deployment too). */
function crossProblems(resources: readonly CompiledResource[]): DeploymentProblem[] {
  const owners = new Map<string, string>();
  const out: DeploymentProblem[] = [];
  const claim = (what: string, id: string, resource: string, line: number | null) => {
    const key = `${what}\u0000${id}`;
    const first = owners.get(key);
    if (first === undefined) owners.set(key, resource);
    else
      out.push({
        resource,
        elementId: id,
        line,
        message: `Expected the ${what} ids of a deployment to be unique, but "${id}" is in "${first}" and "${resource}"`,
      });
  };
  for (const r of resources) {
    for (const p of r.processes ?? []) claim('process', p.id, r.name, p.root.line || null);
    if (r.graph) {
      claim('decision requirements', r.graph.id, r.name, null);
      for (const d of Object.values(r.graph.decisions)) claim('decision', d.id, r.name, d.line);
    }
    if (r.form) claim('form', r.form.id, r.name, 1);
  }
  return out;
}

/** The 400 answer for every problem found. */
function refusal(found: readonly { kind: ResourceKind | null; problem: DeploymentProblem }[]): EngineError {
  const first = found[0]!;
  const kinds = new Set(found.map((f) => f.kind));
  const kind = first.kind;
  const code = kind === null ? 'INVALID_DEPLOYMENT' : CODES[kind];
  const what =
    kinds.size === 1 && kind !== null
      ? `The ${WORDS[kind]} ${found.length === 1 ? 'resource' : 'resources'}`
      : 'The deployment';
  const rest = found.length - 1;
  const more = rest > 0 ? ` (and ${rest} more problem${rest > 1 ? 's' : ''})` : '';
  const where = first.problem.resource ? `${first.problem.resource}: ` : '';
  return new EngineError(
    400,
    code,
    `${what} cannot be deployed: ${where}${first.problem.message}${more}`,
    found.map((f) => f.problem),
  );
}
