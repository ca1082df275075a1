/**
 * Boolean functions: `not`, DMN's `is`, and Camunda's `is defined`, `get or else` and `assert`.
 */
import { delegate, type BuiltinDef } from '../builtin.js';
import { FeelEvaluationError } from '../env.js';

export const BOOLEAN: Record<string, BuiltinDef> = {
  not: delegate('not', ['negand'], { cost: 'const' }),
  // DMN 1.5: strict equality of type and value (a date is no date and time)
  is: delegate('is', ['value1', 'value2'], { cost: 'deep' }),
  // Camunda 8.4+: null (a missing variable or path evaluates to null) is not defined
  'is defined': { params: ['value'], arities: [1], cost: 'const', fn: (_c, [value]) => value !== null },
  'get or else': {
    params: ['value', 'default'],
    arities: [2],
    cost: 'const',
    fn: (_c, [value, fallback]) => (value === null ? fallback : value),
  },
  assert: {
    params: ['value', 'condition', 'cause'],
    arities: [2, 3],
    cost: 'const',
    fn: (_c, [value, condition, cause]) => {
      if (condition === true) return value;
      throw new FeelEvaluationError(
        typeof cause === 'string'
          ? `Expected the assertion to hold, but it failed: ${cause}`
          : `Expected the condition of assert() to be true, but it was ${condition === undefined ? 'null' : JSON.stringify(condition)}`,
      );
    },
  },
};
