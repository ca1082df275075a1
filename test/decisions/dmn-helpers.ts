/**
 * DMN documents for tests, laid out as dmn-js 17 / Camunda Modeler 5 write them (DMN 1.3
 * namespace, ids on every cell, `<text>` bodies, entity-escaped `<`, DMNDI shapes), so a test
 * can state a table in a few lines.
 */
import { expect } from 'vitest';
import { compileDmn } from '../../engine/src/model/dmn/compile.js';
import type { DecisionGraph } from '../../engine/src/model/dmn/types.js';

/** An input column: its expression, or the expression with a label. */
export type InputSpec = string | { readonly expression: string; readonly label?: string; readonly typeRef?: string };
/** An output column: its name, or more. */
export type OutputSpec =
  string | { readonly name?: string; readonly label?: string; readonly values?: string; readonly default?: string };

export interface TableSpec {
  readonly id: string;
  readonly name?: string;
  readonly hitPolicy?: string;
  readonly aggregation?: string;
  readonly requires?: readonly string[];
  readonly inputs: readonly InputSpec[];
  readonly outputs: readonly OutputSpec[];
  /** Each rule: its input entries, then its output entries (one per column; "" for an empty cell). */
  readonly rules: readonly (readonly [readonly string[], readonly string[]])[];
}

export interface LiteralSpec {
  readonly id: string;
  readonly name?: string;
  readonly expression: string;
  readonly variable?: string;
  readonly typeRef?: string;
  readonly requires?: readonly string[];
}

/** Escapes text for an XML body or attribute. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function requirements(id: string, requires: readonly string[] = []): string {
  return requires
    .map(
      (r, i) =>
        `    <informationRequirement id="InformationRequirement_${id}_${i + 1}">\n      <requiredDecision href="#${r}" />\n    </informationRequirement>\n`,
    )
    .join('');
}

const attr = (name: string, value: string | undefined): string =>
  value === undefined ? '' : ` ${name}="${esc(value)}"`;

/** A `<decision>` with a decision table. */
export function table(spec: TableSpec): string {
  const { id } = spec;
  const inputs = spec.inputs.map((input, i) => {
    const s = typeof input === 'string' ? { expression: input } : input;
    return `      <input id="Input_${id}_${i + 1}"${attr('label', s.label)}>\n        <inputExpression id="InputExpression_${id}_${i + 1}" typeRef="${s.typeRef ?? 'string'}">\n          <text>${esc(s.expression)}</text>\n        </inputExpression>\n      </input>\n`;
  });
  const outputs = spec.outputs.map((output, i) => {
    const s = typeof output === 'string' ? { name: output } : output;
    const values = s.values
      ? `        <outputValues id="UnaryTests_${id}_values_${i + 1}">\n          <text>${esc(s.values)}</text>\n        </outputValues>\n`
      : '';
    const fallback = s.default
      ? `        <defaultOutputEntry id="LiteralExpression_${id}_default_${i + 1}">\n          <text>${esc(s.default)}</text>\n        </defaultOutputEntry>\n`
      : '';
    const open = `      <output id="Output_${id}_${i + 1}"${attr('label', s.label)}${attr('name', s.name)} typeRef="string"`;
    return values || fallback ? `${open}>\n${values}${fallback}      </output>\n` : `${open} />\n`;
  });
  const rules = spec.rules.map(([ins, outs], r) => {
    const cell = (kind: 'inputEntry' | 'outputEntry', prefix: string, text: string, c: number): string =>
      `        <${kind} id="${prefix}_${id}_${r + 1}_${c + 1}">\n          <text>${esc(text)}</text>\n        </${kind}>\n`;
    return `      <rule id="DecisionRule_${id}_${r + 1}">\n${ins.map((t, c) => cell('inputEntry', 'UnaryTests', t, c)).join('')}${outs.map((t, c) => cell('outputEntry', 'LiteralExpression', t, c)).join('')}      </rule>\n`;
  });
  return `  <decision id="${id}" name="${esc(spec.name ?? id)}">\n${requirements(id, spec.requires)}    <decisionTable id="DecisionTable_${id}"${attr('hitPolicy', spec.hitPolicy)}${attr('aggregation', spec.aggregation)}>\n${inputs.join('')}${outputs.join('')}${rules.join('')}    </decisionTable>\n  </decision>\n`;
}

/** A `<decision>` with a literal expression. */
export function literal(spec: LiteralSpec): string {
  const { id } = spec;
  const variable = spec.variable
    ? `    <variable id="InformationItem_${id}" name="${esc(spec.variable)}"${attr('typeRef', spec.typeRef)} />\n`
    : '';
  return `  <decision id="${id}" name="${esc(spec.name ?? id)}">\n${variable}${requirements(id, spec.requires)}    <literalExpression id="LiteralExpression_${id}">\n      <text>${esc(spec.expression)}</text>\n    </literalExpression>\n  </decision>\n`;
}

/** A DMN 1.3 document holding `decisions` (from {@link table} / {@link literal} or raw XML), with DMNDI shapes. */
export function dmn(...decisions: string[]): string {
  const ids = decisions.flatMap((d) => /<decision id="([^"]+)"/.exec(d)?.slice(1) ?? []);
  const shapes = ids
    .map(
      (id, i) =>
        `      <dmndi:DMNShape id="DMNShape_${id}" dmnElementRef="${id}">\n        <dc:Bounds height="80" width="180" x="${160 + 220 * i}" y="100" />\n      </dmndi:DMNShape>\n`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_test" name="DRD" namespace="http://camunda.org/schema/1.0/dmn" exporter="Camunda Modeler" exporterVersion="5.28.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
${decisions.join('')}  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_test">
${shapes}    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}

/** Compiles `xml`, expecting no problems, and returns its graph. */
export async function compileGraph(xml: string): Promise<DecisionGraph> {
  const { graph, problems } = await compileDmn(xml);
  expect(problems).toEqual([]);
  return graph!;
}

/** 1-based line of the first occurrence of `text` in `xml`. */
export function lineOf(xml: string, text: string): number {
  const at = xml.indexOf(text);
  if (at < 0) throw new Error(`Expected "${text}" in the document`);
  return xml.slice(0, at).split('\n').length;
}
