/**
 * The DMN compiler: DMN 1.3 XML (as Camunda Modeler and dmn-js write it) -> a validated, immutable
 * {@link DecisionGraph}, or every problem that stops the document from evaluating.
 *
 * @example
 * const { graph, problems } = await compileDmn(xml);
 * if (graph === null) throw new InvalidDmnError(problems); // 400 with element id and line
 * const answer = evaluateDecision(graph, 'riskClass', { age: 42 });
 */
import type { ModdleElement } from 'bpmn-moddle';
import { buildLineIndex } from '../line-index.js';
import { nearestId } from '../parse.js';
import { ProblemSink } from '../problems.js';
import type { Problem } from '../types.js';
import { checkXml } from '../xml-check.js';
import { buildDecision, resultNameOf } from './build-decision.js';
import { createDmnContext } from './check.js';
import { DmnParseError, parseDmn, reportDmnWarnings, type ParsedDmn } from './parse.js';
import { checkRequirements, readRequirements, type Requirements } from './requirements.js';
import type { DecisionDef, DecisionGraph, DmnCompileResult } from './types.js';

/** DRG elements and artifacts with no behaviour: accepted and skipped. */
const IGNORED = new Set(['dmn:InputData', 'dmn:KnowledgeSource', 'dmn:TextAnnotation', 'dmn:Association', 'dmn:Group']);

/** DRG elements Baton does not evaluate, with the words for the problem. */
const REFUSED: Readonly<Record<string, string>> = {
  'dmn:BusinessKnowledgeModel': 'business knowledge models',
  'dmn:DecisionService': 'decision services',
};

/**
 * Compiles a DMN 1.3 document into its decisions by id.
 *
 * Never throws for bad input: every problem found (not just the first) is returned with its
 * element id and line. `graph` is null and `decisions` empty whenever `problems` is not, so a
 * caller cannot deploy half-checked decisions. The returned structure is deeply frozen.
 */
export async function compileDmn(xml: string): Promise<DmnCompileResult> {
  if (xml.trim() === '')
    return failed([{ elementId: null, line: null, message: 'Expected a DMN XML document, but the body is empty' }]);
  const xmlProblems = checkXml(xml);
  if (xmlProblems.length > 0) return failed(xmlProblems);
  let parsed: ParsedDmn;
  try {
    parsed = await parseDmn(xml);
  } catch (error) {
    const line = error instanceof DmnParseError ? error.line : null;
    return failed([{ elementId: null, line, message: error instanceof Error ? error.message : String(error) }]);
  }
  const lines = buildLineIndex(xml);
  const sink = new ProblemSink(lines);
  reportDmnWarnings(parsed.warnings, lines, sink);
  const graph = buildGraph(parsed.definitions, lines, sink);
  const problems = sink.problems();
  if (problems.length > 0) return failed(problems);
  return freeze({ graph, decisions: graph.decisions, problems: [] });
}

function buildGraph(
  definitions: ModdleElement,
  lines: ReturnType<typeof buildLineIndex>,
  sink: ProblemSink,
): DecisionGraph {
  const elements = [
    ...((definitions.drgElement ?? []) as ModdleElement[]),
    ...((definitions.artifact ?? []) as ModdleElement[]),
  ];
  for (const imported of (definitions.import ?? []) as ModdleElement[]) {
    sink.add(
      nearestId(imported),
      `Expected a self-contained DMN document, but it imports "${imported.locationURI ?? imported.namespace ?? ''}"; imports are not supported`,
    );
  }
  const decisions = elements.filter((e) => e.$type === 'dmn:Decision');
  for (const element of elements) {
    if (element.$type === 'dmn:Decision' || IGNORED.has(element.$type)) continue;
    const what = REFUSED[element.$type] ?? `<${element.$type}>`;
    sink.add(
      element.id ?? null,
      `Expected decisions and input data, but found ${element.$type} ${element.id ?? ''}; ${what} are not supported`.replace(
        ' ;',
        ';',
      ),
    );
  }
  if (decisions.some((d) => typeof d.id !== 'string' || d.id === ''))
    sink.add(null, 'Expected every decision to have an id, but one has none');
  const withIds = decisions.filter((d) => typeof d.id === 'string' && d.id !== '');
  if (withIds.length === 0) sink.add(null, 'Expected at least one decision in the document, but found none');
  const inputData = elements.filter((e) => e.$type === 'dmn:InputData');
  const ctx = createDmnContext(sink, declaredNames(withIds, inputData));
  ctx.language(definitions, definitions.id ?? 'the definitions');
  const built: DecisionDef[] = [];
  const requirements = new Map<string, Requirements>();
  for (const decision of withIds) {
    const required = readRequirements(decision, ctx);
    requirements.set(decision.id as string, required);
    const def = buildDecision(
      decision,
      required.decisions.map((r) => r.id),
      lines,
      ctx,
    );
    if (def) built.push(def);
  }
  checkRequirements(requirements, new Set(inputData.map((e) => e.id as string)), ctx);
  return {
    id: (definitions.id as string | undefined) ?? '',
    ...(definitions.name ? { name: definitions.name as string } : {}),
    // own entries even for an id like __proto__, which an assignment would turn into the prototype
    decisions: Object.fromEntries(built.map((d) => [d.id, d])),
  };
}

/** Names FEEL may use in this document: decision results and input data (and their variables). */
function declaredNames(decisions: readonly ModdleElement[], inputData: readonly ModdleElement[]): string[] {
  const names = new Set<string>(decisions.map(resultNameOf));
  for (const input of inputData) {
    for (const name of [input.name, input.variable?.name])
      if (typeof name === 'string' && name.trim() !== '') names.add(name.trim());
  }
  return [...names];
}

function failed(problems: readonly Problem[]): DmnCompileResult {
  return freeze({ graph: null, decisions: {}, problems });
}

/** Deep-freezes plain data (objects and arrays) and returns it. */
function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}
