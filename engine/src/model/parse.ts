/**
 * BPMN XML -> moddle object tree (bpmn-moddle with the Camunda 8 zeebe extension), and the
 * translation of moddle's warnings into located {@link Problem}s.
 */
import { BpmnModdle, type ModdleElement, type ModdleWarning } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { isDiagramWarning } from './foreign.js';
import type { LineIndex } from './line-index.js';
import { describeParseFailure, parseLocation } from './parse-failure.js';
import type { ProblemSink } from './problems.js';

/** The parsed document: the `bpmn:Definitions` root and moddle's non-fatal warnings. */
export interface ParsedBpmn {
  readonly definitions: ModdleElement;
  readonly warnings: readonly ModdleWarning[];
}

/** Thrown by {@link parseBpmn} when moddle cannot read the document at all. */
export class BpmnParseError extends Error {
  /** 1-based line of the failure, when moddle reports one. */
  readonly line: number | null;

  constructor(message: string, line: number | null) {
    super(message);
    this.name = 'BpmnParseError';
    this.line = line;
  }
}

/**
 * Parses BPMN XML with a fresh moddle instance (instances are cheap and hold parse state).
 * Call {@link checkXml} first: this parser must never see a DOCTYPE.
 *
 * @throws BpmnParseError when the document is not a `bpmn:definitions` moddle can read.
 */
export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  const moddle = new BpmnModdle({ zeebe });
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    return { definitions: rootElement, warnings };
  } catch (error) {
    const { message, line } = describeParseFailure(xml, error);
    throw new BpmnParseError(message, line);
  }
}

/** Turns moddle warnings (unknown element or attribute, unresolved reference, duplicate id) into problems. */
export function reportWarnings(warnings: readonly ModdleWarning[], lines: LineIndex, sink: ProblemSink): void {
  for (const warning of warnings) {
    const message = warning.message;
    if (isDiagramWarning(warning)) {
      const owner = nearestId(warning.element);
      const what = message.startsWith('unresolved reference')
        ? `names "${warning.value}", which does not exist`
        : `has a problem (${message})`;
      sink.warn(
        owner,
        `The diagram element ${describe(warning.element)} ${what}; only the drawing is affected, as on Camunda 8`,
      );
    } else if (message.startsWith('unresolved reference')) {
      const owner = nearestId(warning.element);
      const property = (warning.property ?? 'reference').replace(/^bpmn:/, '');
      sink.add(
        owner,
        `Expected ${property}${owner ? ` of ${owner}` : ''} to reference an existing element, but "${warning.value}" does not exist`,
      );
    } else if (message.startsWith('unknown attribute')) {
      const owner = nearestId(warning.element);
      sink.add(
        owner,
        `Expected only known attributes, but found ${warning.property ?? message} on ${describe(warning.element)}`,
      );
    } else if (message.startsWith('unparsable content')) {
      reportUnparsable(message, lines, sink);
    } else {
      sink.add(nearestId(warning.element), `Expected valid BPMN, but ${message}`);
    }
  }
}

function reportUnparsable(message: string, lines: LineIndex, sink: ProblemSink): void {
  const location = parseLocation(message);
  const tag = /unparsable content <?([^\s/>]+)/.exec(message)?.[1] ?? 'content';
  const nested = /nested error: (.*)$/m.exec(message)?.[1] ?? '';
  const found = location ? lines.findTag(tag, location.line) : null;
  const line = found?.line ?? location?.line ?? null;
  const duplicate = /duplicate ID <([^>]+)>/.exec(nested);
  if (duplicate) {
    sink.add(duplicate[1]!, `Expected unique ids, but "${duplicate[1]}" is used more than once`, line);
  } else if (nested.startsWith('unknown type')) {
    sink.add(found?.id ?? null, `Expected only elements Baton knows, but <${tag}> is unknown`, line);
  } else {
    sink.add(found?.id ?? null, `Expected valid BPMN content, but <${tag}> could not be read: ${nested}`, line);
  }
}

/** The id of `element` or of its closest ancestor that has one (event definitions often have none). */
export function nearestId(element: ModdleElement | undefined): string | null {
  for (let e = element; e; e = e.$parent) {
    if (typeof e.id === 'string' && e.id !== '') return e.id;
  }
  return null;
}

function describe(element: ModdleElement | undefined): string {
  if (!element) return 'an element';
  return element.id ? `${element.$type} ${element.id}` : element.$type;
}
