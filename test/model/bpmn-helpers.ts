/**
 * Small helpers for model compiler tests: wrap a process body into a full BPMN document and
 * compile it.
 */
import { compileBpmn } from '../../engine/src/model/compile.js';
import type { CompileResult, ProcessModel, Problem } from '../../engine/src/model/types.js';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs" targetNamespace="http://baton.test">\n';

/** A document with one executable process `P` around `body`, plus optional top-level `extras`. */
export function processXml(body: string, extras = ''): string {
  return `${HEADER}${extras}\n<bpmn:process id="P" isExecutable="true">\n${body}\n</bpmn:process>\n</bpmn:definitions>\n`;
}

/** Compiles `processXml(body, extras)`. */
export function compileProcess(body: string, extras = ''): Promise<CompileResult> {
  return compileBpmn(processXml(body, extras));
}

/** The single compiled process, failing loudly (with the problems) when there is none. */
export function only(result: CompileResult): ProcessModel {
  if (result.problems.length > 0 || result.processes.length !== 1) {
    throw new Error(`Expected one compiled process, but got problems ${JSON.stringify(result.problems)}`);
  }
  return result.processes[0]!;
}

/** The problems that name `elementId`. */
export function problemsOf(result: CompileResult, elementId: string): Problem[] {
  return result.problems.filter((p) => p.elementId === elementId);
}

/** 1-based line of the first line of `xml` that contains `needle`. */
export function lineOf(xml: string, needle: string): number {
  const index = xml.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`Expected ${needle} in the XML, but it is not there`);
  return index + 1;
}

/** Start -> `middle` -> End wiring for a single element with id `id`. */
export function around(id: string, element: string): string {
  return [
    '<bpmn:startEvent id="S"/>',
    element,
    '<bpmn:endEvent id="E"/>',
    `<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="${id}"/>`,
    `<bpmn:sequenceFlow id="F2" sourceRef="${id}" targetRef="E"/>`,
  ].join('\n');
}
