/**
 * The model compiler: BPMN XML -> validated, immutable {@link ProcessModel}s, or every problem
 * that stops the document from running.
 *
 * @example
 * const { processes, problems } = await compileBpmn(xml);
 * if (problems.length > 0) throw new InvalidBpmnError(problems); // 400 INVALID_BPMN
 */
import type { ModdleElement } from 'bpmn-moddle';
import { DEFAULT_MIN_TIMER_CYCLE_MS } from '../core/timer-plan.js';
import { buildFlows } from './build-flows.js';
import { buildDrafts } from './build-graph.js';
import { createContext, Extensions, type BuildContext } from './context.js';
import { readEmbeddedForms } from './embedded-forms.js';
import { warnForeignAttributes } from './foreign.js';
import { buildLineIndex, type LineIndex } from './line-index.js';
import { BpmnParseError, parseBpmn, reportWarnings, type ParsedBpmn } from './parse.js';
import { validateNames } from './names.js';
import { readExecutionListeners } from './read-listeners.js';
import { ProblemSink } from './problems.js';
import { ROOT_ELEMENTS } from './supported.js';
import type { CompileOptions, CompileResult, ProcessModel } from './types.js';
import { validateProcess } from './validate.js';
import { checkXml } from './xml-check.js';

/**
 * Compiles a BPMN 2.0 document (Camunda 8 / zeebe extensions) into one {@link ProcessModel} per
 * executable process (`isExecutable` not `"false"`), collaborations included.
 *
 * Never throws for bad input: every problem found (not just the first) is returned with its
 * element id and line (only a bad option, such as a negative `minTimerCycleMs`, rejects). `processes` is empty whenever `problems` is not, so a caller cannot
 * deploy half-checked models. The returned structure is deeply frozen.
 */
export async function compileBpmn(xml: string, options: CompileOptions = {}): Promise<CompileResult> {
  const minTimerCycleMs = options.minTimerCycleMs ?? DEFAULT_MIN_TIMER_CYCLE_MS;
  if (!Number.isFinite(minTimerCycleMs) || minTimerCycleMs < 0)
    throw new RangeError(`Expected minTimerCycleMs to be a number of ms of at least 0, but got ${minTimerCycleMs}`);
  const xmlProblems = checkXml(xml);
  if (xmlProblems.length > 0) return freeze({ processes: [], problems: xmlProblems, warnings: [] });
  let parsed: ParsedBpmn;
  try {
    parsed = await parseBpmn(xml);
  } catch (error) {
    const line = error instanceof BpmnParseError ? error.line : null;
    const message = error instanceof Error ? error.message : String(error);
    return freeze({ processes: [], problems: [{ elementId: null, line, message }], warnings: [] });
  }
  const lines = buildLineIndex(xml);
  const sink = new ProblemSink(lines);
  reportWarnings(parsed.warnings, lines, sink);
  const ctx = createContext(sink, minTimerCycleMs);
  const models = selectProcesses(parsed.definitions, sink).map((process) => buildProcess(process, lines, ctx));
  for (const model of models) {
    validateProcess(model, sink);
    validateNames(model, sink);
  }
  const problems = sink.problems();
  return freeze({ processes: problems.length > 0 ? [] : models, problems, warnings: sink.warnings() });
}

/** Executable processes of the document: top-level ones and those referenced by participants. */
function selectProcesses(definitions: ModdleElement, sink: ProblemSink): ModdleElement[] {
  const found: ModdleElement[] = [];
  const add = (process: ModdleElement | undefined): void => {
    if (process && process.$type === 'bpmn:Process' && !found.includes(process)) found.push(process);
  };
  for (const root of (definitions.rootElements ?? []) as ModdleElement[]) {
    if (!ROOT_ELEMENTS.has(root.$type)) {
      sink.add(
        root.id ?? null,
        `Expected processes, collaborations, messages, errors, signals or escalations at the top level, but found ${root.$type}${root.id ? ` ${root.id}` : ''}; it is not supported`,
      );
    } else if (root.$type === 'bpmn:Process') {
      add(root);
    } else if (root.$type === 'bpmn:Collaboration') {
      for (const participant of (root.participants ?? []) as ModdleElement[]) add(participant.processRef);
    }
  }
  const executable = found.filter((process) => process.isExecutable !== false);
  if (executable.some((process) => !process.id)) {
    sink.add(null, 'Expected every executable process to have an id, but one has none');
  }
  if (executable.length === 0) {
    sink.add(null, 'Expected at least one executable process in the document, but found none');
  }
  return executable.filter((process) => Boolean(process.id));
}

function buildProcess(process: ModdleElement, lines: LineIndex, ctx: BuildContext): ProcessModel {
  const ext = new Extensions(process);
  const versionTag = ext.get('zeebe:VersionTag')?.value as string | undefined;
  const drafts = buildDrafts(process, lines, ctx);
  readExecutionListeners(drafts.root, ext, ctx);
  ext.reportUnread(process.id, ctx.sink);
  warnForeignAttributes(process, process.id, ctx.sink);
  const flows = buildFlows(drafts.flows, drafts.elements, lines, ctx);
  const forms = readEmbeddedForms(process, drafts.elements, ctx);
  return {
    id: process.id,
    ...(process.name ? { name: process.name as string } : {}),
    ...(versionTag ? { versionTag } : {}),
    elements: drafts.elements,
    flows,
    root: drafts.root,
    ...(forms ? { forms } : {}),
    minTimerCycleMs: ctx.minTimerCycleMs,
  };
}

/** Deep-freezes plain data (objects and arrays) and returns it. */
function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}
