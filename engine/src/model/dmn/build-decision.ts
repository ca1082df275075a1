/**
 * A `<decision>` -> {@link DecisionDef}: its logic (a decision table or a literal expression),
 * its version tag, and the decisions it requires.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { LineIndex } from '../line-index.js';
import { buildTable } from './build-table.js';
import { idOr, textOf, type DmnContext } from './check.js';
import type { DecisionDef, LiteralDef, TableDef } from './types.js';

/** Logic kinds of DMN 1.3 that Baton does not evaluate, as moddle names them. */
const UNSUPPORTED_LOGIC: Readonly<Record<string, string>> = {
  'dmn:Context': 'a boxed context',
  'dmn:Relation': 'a relation',
  'dmn:List': 'a boxed list',
  'dmn:Invocation': 'a boxed invocation',
  'dmn:FunctionDefinition': 'a function definition',
};

/** The variable name under which other decisions see the result of `decision`. */
export function resultNameOf(decision: ModdleElement): string {
  const name = decision.variable?.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : (decision.id as string);
}

/**
 * Builds one decision (its id is known to exist) that requires the decisions `requires`;
 * problems go to `ctx.sink`, and a decision whose logic Baton cannot evaluate gives null.
 */
export function buildDecision(
  decision: ModdleElement,
  requires: readonly string[],
  lines: LineIndex,
  ctx: DmnContext,
): DecisionDef | null {
  const id = decision.id as string;
  const logic = decision.decisionLogic as ModdleElement | undefined;
  let table: TableDef | undefined;
  let literal: LiteralDef | undefined;
  if (logic?.$type === 'dmn:DecisionTable') table = buildTable(logic, id, ctx);
  else if (logic?.$type === 'dmn:LiteralExpression') literal = buildLiteral(logic, id, ctx);
  else if (logic) {
    const what = UNSUPPORTED_LOGIC[logic.$type] ?? logic.$type;
    ctx.sink.add(id, `Expected decision ${id} to be a decision table or a literal expression, but it is ${what}`);
    return null;
  } else {
    ctx.sink.add(id, `Expected decision ${id} to have a decision table or a literal expression, but it has no logic`);
    return null;
  }
  const versionTag = readVersionTag(decision);
  const resultType = decision.variable?.typeRef as string | undefined;
  return {
    id,
    ...(decision.name ? { name: decision.name as string } : {}),
    ...(versionTag ? { versionTag } : {}),
    line: lines.lineOf(id) ?? 1,
    kind: table ? 'table' : 'literal',
    requires,
    resultName: resultNameOf(decision),
    ...(resultType ? { resultType } : {}),
    ...(table ? { table } : {}),
    ...(literal ? { literal } : {}),
  };
}

function buildLiteral(logic: ModdleElement, decisionId: string, ctx: DmnContext): LiteralDef {
  const id = idOr(logic, decisionId);
  const expression = textOf(logic);
  ctx.language(logic, id);
  if (expression === '') {
    ctx.sink.add(id, `Expected the literal expression of decision ${decisionId} to be set, but it is empty`);
  } else {
    ctx.feel(expression, 'expression', id, `the literal expression of decision ${decisionId}`);
  }
  return { id, expression };
}

function readVersionTag(decision: ModdleElement): string | undefined {
  const values = (decision.extensionElements?.values ?? []) as ModdleElement[];
  const tag = values.find((v) => v.$type === 'zeebe:VersionTag')?.value;
  return typeof tag === 'string' && tag.trim() !== '' ? tag.trim() : undefined;
}
