/**
 * Baton's FEEL layer: FEEL as Camunda 8 evaluates it, on top of feelin. Pure (no clock, no
 * randomness, no I/O: both come in through {@link FeelEnv}); used by the model compiler (deploy-time
 * checks), the core (every expression of a process) and the DMN evaluator.
 */
import { prepare, type FeelTop } from './prepare.js';

export { DEFAULT_FEEL_BUDGET, FEEL_BUDGET, FEEL_NESTING_LIMIT, FEEL_RESULT_LIMIT, type FeelEnv } from './env.js';
export {
  evaluateExpression,
  evaluateUnaryTests,
  MAX_RESULT_UNITS,
  type EvaluateOptions,
  type FeelResult,
} from './evaluate.js';
export { BUILTIN_NAMES, PARSER_NAMES } from './registry.js';
export { toPlainJson } from './values.js';

/** What a deploy-time look at FEEL source finds. */
export interface FeelCheck {
  /** Why the source does not parse ("it has a syntax error at position 3, near …"), or null. */
  readonly syntaxError: string | null;
  /** Functions it calls that are neither built-ins nor defined inside it (each fails when evaluated). */
  readonly unknownFunctions: readonly string[];
}

/** Parses FEEL source (without evaluating anything) and reports what would fail when it runs. */
export function checkFeel(src: string, top: FeelTop = 'expression'): FeelCheck {
  const p = prepare(src, top);
  if (!p.ok) return { syntaxError: p.kind === 'syntax' ? p.message : null, unknownFunctions: [] };
  return { syntaxError: null, unknownFunctions: p.unknownFunctions };
}
