/**
 * Numeric functions: feelin's, with the rounding functions also taking a missing scale as 0 (the
 * documentation shows `round up(5.5)`), and Camunda's `random number` from the evaluation's randomness.
 */
import { delegates, feelinBuiltin, type BuiltinDef } from '../builtin.js';
import { FeelEvaluationError } from '../env.js';

function rounding(name: string): BuiltinDef {
  const f = feelinBuiltin(name);
  return { params: ['n', 'scale'], arities: [1, 2], cost: 'const', fn: (_c, [n, scale]) => f(n, scale ?? 0) };
}

export const NUMERIC: Record<string, BuiltinDef> = {
  ...delegates(
    {
      decimal: ['n', 'scale'],
      floor: ['n', 'scale'],
      ceiling: ['n', 'scale'],
      abs: ['n'],
      modulo: ['dividend', 'divisor'],
      sqrt: ['number'],
      log: ['number'],
      exp: ['number'],
      odd: ['number'],
      even: ['number'],
    },
    'const',
  ),
  'round up': rounding('round up'),
  'round down': rounding('round down'),
  'round half up': rounding('round half up'),
  'round half down': rounding('round half down'),
  'random number': {
    params: [],
    cost: 'const',
    fn: ({ env }) => {
      if (!env.random)
        throw new FeelEvaluationError('Expected a source of randomness for random number(), but none was given');
      return env.random();
    },
  },
};
