/**
 * A `<decisionTable>` -> {@link TableDef}, with every problem that would stop it from evaluating:
 * an unknown hit policy or aggregation, unparsable FEEL in any cell, an output without a name
 * in a multi-output table, rules whose cells do not fit the columns.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { idOr, textOf, type DmnContext } from './check.js';
import { readOutputValues } from './feel-check.js';
import type { Aggregation, HitPolicy, InputDef, OutputDef, RuleDef, TableDef } from './types.js';

/** The hit policies of DMN 1.3, as the `hitPolicy` attribute spells them. */
export const HIT_POLICIES: readonly HitPolicy[] = [
  'UNIQUE',
  'FIRST',
  'PRIORITY',
  'ANY',
  'COLLECT',
  'RULE ORDER',
  'OUTPUT ORDER',
];
/** The aggregations of a COLLECT table, as the `aggregation` attribute spells them. */
export const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

/** Builds the table of decision `decisionId`; problems go to `ctx.sink`. */
export function buildTable(table: ModdleElement, decisionId: string, ctx: DmnContext): TableDef {
  const id = idOr(table, decisionId);
  ctx.language(table, id);
  const hitPolicy = readHitPolicy(table, id, ctx);
  const inputs = ((table.input ?? []) as ModdleElement[]).map((input, i) => buildInput(input, i, id, ctx));
  const outputs = buildOutputs((table.output ?? []) as ModdleElement[], id, hitPolicy, ctx);
  const aggregation = readAggregation(table, id, hitPolicy, outputs.length, ctx);
  const rules = ((table.rule ?? []) as ModdleElement[]).map((rule, i) =>
    buildRule(rule, i, { id, inputs: inputs.length, outputs: outputs.length }, ctx),
  );
  return { id, hitPolicy, ...(aggregation ? { aggregation } : {}), inputs, outputs, rules };
}

function readHitPolicy(table: ModdleElement, id: string, ctx: DmnContext): HitPolicy {
  const value = (table.hitPolicy ?? 'UNIQUE') as string;
  if ((HIT_POLICIES as readonly string[]).includes(value)) return value as HitPolicy;
  ctx.sink.add(id, `Expected the hit policy of ${id} to be one of ${HIT_POLICIES.join(', ')}, but found "${value}"`);
  return 'UNIQUE';
}

function readAggregation(
  table: ModdleElement,
  id: string,
  hitPolicy: HitPolicy,
  outputCount: number,
  ctx: DmnContext,
): Aggregation | undefined {
  const value = table.aggregation as string | undefined;
  if (value === undefined) return undefined;
  if (!(AGGREGATIONS as readonly string[]).includes(value)) {
    ctx.sink.add(id, `Expected the aggregation of ${id} to be one of ${AGGREGATIONS.join(', ')}, but found "${value}"`);
    return undefined;
  }
  if (hitPolicy !== 'COLLECT') {
    ctx.sink.add(id, `Expected an aggregation only with hit policy COLLECT, but ${id} has ${hitPolicy} with ${value}`);
  } else if (outputCount > 1) {
    ctx.sink.add(
      id,
      `Expected one output for COLLECT ${value}, but ${id} has ${outputCount}; an aggregation folds a single output`,
    );
  }
  return value as Aggregation;
}

function buildInput(input: ModdleElement, index: number, tableId: string, ctx: DmnContext): InputDef {
  const id = idOr(input, tableId);
  const expression = input.inputExpression as ModdleElement | undefined;
  const text = textOf(expression);
  const what = `the input expression of ${id}`;
  ctx.language(expression, id);
  if (text === '') ctx.sink.add(id, `Expected ${what} (column ${index + 1} of ${tableId}) to be set, but it is empty`);
  else ctx.feel(text, 'expression', idOr(expression, id), what);
  const variable = input.$attrs?.['camunda:inputVariable'];
  if (typeof variable === 'string' && variable.trim() !== '') {
    ctx.sink.add(
      id,
      `Expected no camunda:inputVariable on ${id} (Camunda 8 removed it), but found "${variable}"; use ? in the unary tests instead`,
    );
  }
  checkValues(input.inputValues as ModdleElement | undefined, id, 'input values', ctx);
  return {
    id,
    ...(input.label ? { label: input.label as string } : {}),
    expression: text,
    ...(expression?.typeRef ? { typeRef: expression.typeRef as string } : {}),
  };
}

function buildOutputs(outputs: ModdleElement[], tableId: string, hitPolicy: HitPolicy, ctx: DmnContext): OutputDef[] {
  if (outputs.length === 0) ctx.sink.add(tableId, `Expected ${tableId} to have at least one output, but it has none`);
  const seen = new Set<string>();
  const built = outputs.map((output) => {
    const id = idOr(output, tableId);
    const name = typeof output.name === 'string' && output.name.trim() !== '' ? output.name.trim() : undefined;
    if (outputs.length > 1 && name === undefined) {
      const label = output.label ? ` (label "${output.label}")` : '';
      ctx.sink.add(id, `Expected output ${id}${label} to have a name, because ${tableId} has several outputs`);
    }
    if (name !== undefined && seen.has(name))
      ctx.sink.add(id, `Expected unique output names in ${tableId}, but "${name}" repeats`);
    if (name !== undefined) seen.add(name);
    const priorities = checkValues(output.outputValues as ModdleElement | undefined, id, 'output values', ctx);
    const fallback = output.defaultOutputEntry as ModdleElement | undefined;
    const defaultValue = textOf(fallback);
    ctx.language(fallback, id);
    if (defaultValue !== '') ctx.feel(defaultValue, 'expression', idOr(fallback, id), `the default output of ${id}`);
    return {
      id,
      ...(output.label ? { label: output.label as string } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(output.typeRef ? { typeRef: output.typeRef as string } : {}),
      ...(priorities ? { priorities } : {}),
      ...(defaultValue !== '' ? { defaultValue } : {}),
    };
  });
  if ((hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') && !built.some((o) => o.priorities)) {
    ctx.sink.add(
      tableId,
      `Expected output values (e.g. "high","low") on an output of ${tableId}: hit policy ${hitPolicy} ranks results by them, but none has any`,
    );
  }
  return built;
}

/** Checks `inputValues` / `outputValues`; returns their literals when they are a plain list. */
function checkValues(
  values: ModdleElement | undefined,
  ownerId: string,
  what: string,
  ctx: DmnContext,
): (string | number | boolean)[] | undefined {
  const text = textOf(values);
  if (text === '') return undefined;
  ctx.language(values, ownerId);
  if (!ctx.feel(text, 'unaryTests', ownerId, `the ${what} of ${ownerId}`)) return undefined;
  if (what !== 'output values') return undefined;
  const literals = readOutputValues(text);
  if (literals === null) {
    ctx.sink.add(
      ownerId,
      `Expected the output values of ${ownerId} to be a list of literals like "high","low", but found "${text}"`,
    );
    return undefined;
  }
  return literals;
}

interface Shape {
  readonly id: string;
  readonly inputs: number;
  readonly outputs: number;
}

function buildRule(rule: ModdleElement, index: number, table: Shape, ctx: DmnContext): RuleDef {
  const id = idOr(rule, `${table.id} rule ${index + 1}`);
  const inputEntries = (rule.inputEntry ?? []) as ModdleElement[];
  const outputEntries = (rule.outputEntry ?? []) as ModdleElement[];
  if (inputEntries.length !== table.inputs || outputEntries.length !== table.outputs) {
    ctx.sink.add(
      id,
      `Expected rule ${id} to have ${table.inputs} input and ${table.outputs} output entries like the columns of ${table.id}, but it has ${inputEntries.length} and ${outputEntries.length}`,
    );
  }
  const cells = (entries: ModdleElement[], kind: 'unaryTests' | 'expression'): string[] =>
    entries.map((entry, column) => {
      const text = textOf(entry);
      const owner = idOr(entry, id);
      ctx.language(entry, owner);
      const what = `the ${kind === 'unaryTests' ? 'input' : 'output'} entry of rule ${id} (column ${column + 1})`;
      if (text !== '') ctx.feel(text, kind, owner, what);
      return text === '' ? (kind === 'unaryTests' ? '-' : 'null') : text;
    });
  const description = typeof rule.description === 'string' ? rule.description.trim() : '';
  return {
    id,
    index: index + 1,
    inputEntries: cells(inputEntries, 'unaryTests'),
    outputEntries: cells(outputEntries, 'expression'),
    ...(description !== '' ? { description } : {}),
  };
}
