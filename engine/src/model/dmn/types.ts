/**
 * The compiled, immutable form of a DMN 1.3 document: its decisions by id, ready for the
 * evaluator in `engine/src/decisions/`. Plain JSON-serialisable records (no moddle objects, no
 * closures), so a store can keep them beside a {@link ProcessModel}.
 *
 * FEEL is kept as source text: the evaluator compiles it on first use.
 */
import type { Problem } from '../types.js';

/** How a decision table picks its result among matching rules (DMN 1.3, 8.2.10). */
export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';

/** How a COLLECT table folds its matched outputs into one value. */
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

/** One input column: a FEEL expression evaluated once per evaluation. */
export interface InputDef {
  readonly id: string;
  readonly label?: string;
  /** FEEL expression (the `inputExpression` text). */
  readonly expression: string;
  readonly typeRef?: string;
}

/** A literal value listed in an output's `outputValues`, in priority order (first = highest). */
export type OutputValue = string | number | boolean;

/** One output column. */
export interface OutputDef {
  readonly id: string;
  readonly label?: string;
  /** Key of the output in a context result; required when the table has several outputs. */
  readonly name?: string;
  readonly typeRef?: string;
  /** The `outputValues` literals, in order; PRIORITY and OUTPUT ORDER rank results by them. */
  readonly priorities?: readonly OutputValue[];
  /** FEEL expression of the `defaultOutputEntry`, used when no rule matches. */
  readonly defaultValue?: string;
}

/** One rule (row) of a table. */
export interface RuleDef {
  readonly id: string;
  /** 1-based position in the table, as Camunda reports it. */
  readonly index: number;
  /** FEEL unary tests, one per input; an empty cell is stored as `-`. */
  readonly inputEntries: readonly string[];
  /** FEEL expressions, one per output; an empty cell is stored as the FEEL literal `null`. */
  readonly outputEntries: readonly string[];
  readonly description?: string;
}

/** A decision table. */
export interface TableDef {
  readonly id: string;
  readonly hitPolicy: HitPolicy;
  readonly aggregation?: Aggregation;
  readonly inputs: readonly InputDef[];
  readonly outputs: readonly OutputDef[];
  readonly rules: readonly RuleDef[];
}

/** A literal-expression decision: one FEEL expression. */
export interface LiteralDef {
  readonly id: string;
  readonly expression: string;
}

/** One decision of the requirements graph. */
export interface DecisionDef {
  readonly id: string;
  readonly name?: string;
  /** `zeebe:versionTag` of the decision, if any. */
  readonly versionTag?: string;
  /** 1-based line of the `<decision>` start tag. */
  readonly line: number;
  readonly kind: 'table' | 'literal';
  /** Ids of the decisions whose results this one reads (its information requirements). */
  readonly requires: readonly string[];
  /** The variable under which decisions that require this one see its result: the variable's name, else the id. */
  readonly resultName: string;
  /** The `<variable>`'s typeRef: a literal decision's result is checked against it. */
  readonly resultType?: string;
  readonly table?: TableDef;
  readonly literal?: LiteralDef;
}

/** A compiled decision requirements graph (one `.dmn` document). */
export interface DecisionGraph {
  /** Id and name of the `<definitions>`: the decision requirements graph. */
  readonly id: string;
  readonly name?: string;
  readonly decisions: Readonly<Record<string, DecisionDef>>;
}

/** What {@link compileDmn} answers: the graph, or every problem (then `decisions` is empty). */
export interface DmnCompileResult {
  readonly graph: DecisionGraph | null;
  readonly decisions: Readonly<Record<string, DecisionDef>>;
  readonly problems: readonly Problem[];
}
