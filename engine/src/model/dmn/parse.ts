/**
 * DMN XML -> moddle object tree (dmn-moddle with the Camunda 8 zeebe extension), and the
 * translation of moddle's warnings into located {@link Problem}s.
 */
import type { ModdleElement, ModdleWarning } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import zeebe from 'zeebe-dmn-moddle/resources/zeebe.json' with { type: 'json' };
import type { LineIndex } from '../line-index.js';
import { nearestId } from '../parse.js';
import type { ProblemSink } from '../problems.js';

/** The namespace of DMN 1.3, the only version dmn-moddle 12 (and Camunda Modeler 5) reads and writes. */
export const DMN13_NAMESPACE = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

/** Namespaces of the other DMN versions, to name them when a document uses one. */
const OTHER_VERSIONS: readonly (readonly [string, string])[] = [
  ['http://www.omg.org/spec/DMN/20151101/dmn.xsd', 'DMN 1.1'],
  ['http://www.omg.org/spec/DMN/20180521/MODEL/', 'DMN 1.2'],
  ['https://www.omg.org/spec/DMN/20211108/MODEL/', 'DMN 1.4'],
  ['https://www.omg.org/spec/DMN/20230324/MODEL/', 'DMN 1.5'],
];

/** The parsed document: the `dmn:Definitions` root and moddle's non-fatal warnings. */
export interface ParsedDmn {
  readonly definitions: ModdleElement;
  readonly warnings: readonly ModdleWarning[];
}

/** Thrown by {@link parseDmn} when moddle cannot read the document at all. */
export class DmnParseError extends Error {
  /** 1-based line of the failure, when moddle reports one. */
  readonly line: number | null;

  constructor(message: string, line: number | null) {
    super(message);
    this.name = 'DmnParseError';
    this.line = line;
  }
}

/**
 * Parses DMN 1.3 XML with a fresh moddle instance. Call `checkXml` first: this parser must never
 * see a DOCTYPE.
 *
 * @throws DmnParseError when the document is not a DMN 1.3 `<definitions>` moddle can read.
 */
export async function parseDmn(xml: string): Promise<ParsedDmn> {
  const moddle = new DmnModdle({ zeebe });
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml, 'dmn:Definitions');
    return { definitions: rootElement, warnings };
  } catch (error) {
    const version = OTHER_VERSIONS.find(([namespace]) => xml.includes(namespace));
    if (version && !xml.includes(DMN13_NAMESPACE)) {
      throw new DmnParseError(
        `Expected a DMN 1.3 document (namespace ${DMN13_NAMESPACE}), but it is ${version[1]}; open and save it in Camunda Modeler 5 or dmn-js 17 to convert it`,
        1,
      );
    }
    const cause = error as { message?: string; warnings?: ModdleWarning[] };
    const detail = cause.warnings?.[0]?.message ?? '';
    const reason = detail.split('\n')[0]?.trim() || (cause.message ?? String(error));
    throw new DmnParseError(
      `Expected a DMN 1.3 <definitions> document, but it could not be read: ${reason}`,
      lineOf(detail),
    );
  }
}

/** Turns moddle warnings (unknown element or attribute, duplicate id) into problems. */
export function reportDmnWarnings(warnings: readonly ModdleWarning[], lines: LineIndex, sink: ProblemSink): void {
  for (const warning of warnings) {
    const message = warning.message;
    if (message.startsWith('unknown attribute')) {
      const owner = nearestId(warning.element);
      const on = warning.element ? `${warning.element.$type}${owner ? ` ${owner}` : ''}` : 'an element';
      sink.add(owner, `Expected only known attributes, but found ${warning.property ?? message} on ${on}`);
    } else if (message.startsWith('unparsable content')) {
      reportUnparsable(message, lines, sink);
    } else {
      sink.add(nearestId(warning.element), `Expected valid DMN, but ${message}`);
    }
  }
}

function reportUnparsable(message: string, lines: LineIndex, sink: ProblemSink): void {
  const located = lineOf(message);
  const tag = /unparsable content <?([^\s/>]+)/.exec(message)?.[1] ?? 'content';
  const nested = /nested error: (.*)$/m.exec(message)?.[1] ?? '';
  const found = located !== null ? lines.findTag(tag, located) : null;
  const line = found?.line ?? located;
  const duplicate = /duplicate ID <([^>]+)>/.exec(nested);
  if (duplicate) {
    sink.add(duplicate[1]!, `Expected unique ids, but "${duplicate[1]}" is used more than once`, line);
  } else if (nested.startsWith('unknown type')) {
    sink.add(found?.id ?? null, `Expected only DMN 1.3 elements, but <${tag}> is unknown`, line);
  } else {
    sink.add(found?.id ?? null, `Expected valid DMN content, but <${tag}> could not be read: ${nested}`, line);
  }
}

/** moddle reports `line: N` 0-based. */
function lineOf(message: string): number | null {
  const match = /line: (\d+)/.exec(message);
  return match ? Number(match[1]) + 1 : null;
}
