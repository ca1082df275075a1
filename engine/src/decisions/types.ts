/**
 * What a decision evaluation answers: the result as Camunda 8 shapes it, and an audit record of
 * every decision of the requirements graph that was evaluated (inputs, matched rules, outputs),
 * for the history and the console. Every value here is plain JSON.
 */
import type { BudgetTrip } from '../core/budgets.js';

/** One input column's value in one evaluation. */
export interface EvaluatedInput {
  readonly inputId: string;
  readonly label?: string;
  /** The input expression, so an unlabelled column can still be named. */
  readonly expression: string;
  readonly value: unknown;
}

/** One output of a matched rule. */
export interface EvaluatedOutput {
  readonly outputId: string;
  readonly name?: string;
  readonly label?: string;
  readonly value: unknown;
}

/** A rule that matched (and, for FIRST, the one that was taken). */
export interface MatchedRule {
  readonly ruleId: string;
  /** 1-based row number. */
  readonly ruleIndex: number;
  readonly outputs: readonly EvaluatedOutput[];
}

/** The audit of one decision of the graph. */
export interface EvaluatedDecision {
  readonly decisionId: string;
  readonly decisionName?: string;
  readonly versionTag?: string;
  readonly kind: 'table' | 'literal';
  /** Tables: the hit policy, with its aggregation (`COLLECT SUM`). */
  readonly hitPolicy?: string;
  /** Tables: every input's value (empty for literal expressions). */
  readonly inputs: readonly EvaluatedInput[];
  /** Tables: the rules that matched, in table order (for PRIORITY and OUTPUT ORDER too). */
  readonly matchedRules: readonly MatchedRule[];
  /** The decision's result (null when it failed). */
  readonly result: unknown;
  /** Why this decision failed, when it did (the evaluation stops there). */
  readonly failure?: string;
}

/** Every decision evaluated for one call, required decisions first, the called one last. */
export interface DecisionAudit {
  /** The decision that was asked for. */
  readonly decisionId: string;
  readonly decisions: readonly EvaluatedDecision[];
}

/**
 * The answer of {@link evaluateDecision}. A failure (a violated hit policy, an expression that
 * cannot be evaluated, a result of the wrong type) is a value, never a throw; `decisionId` names
 * the decision of the graph where it happened. A failure that ran out of a budget (a FEEL
 * evaluation over its work budget) carries it in `budget`: a caller raises `BUDGET_EXCEEDED` for it.
 */
export type DecisionEvaluation =
  | { readonly ok: true; readonly result: unknown; readonly audit: DecisionAudit }
  | {
      readonly ok: false;
      readonly message: string;
      readonly decisionId: string;
      readonly audit: DecisionAudit;
      readonly budget?: BudgetTrip;
    };
