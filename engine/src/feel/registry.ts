/**
 * Every FEEL built-in function Baton knows (Camunda 8's reference, its extensions and deprecated
 * names), the budget helpers the rewritten source calls, and how both are bound to one evaluation.
 */
import { isRange } from 'feelin';
import type { BuiltinDef, CallEnv } from './builtin.js';
import { BOOLEAN } from './builtins/boolean.js';
import { CONTEXT } from './builtins/context.js';
import { CONVERSION } from './builtins/conversion.js';
import { LIST } from './builtins/list.js';
import { NUMERIC } from './builtins/numeric.js';
import { RANGE } from './builtins/range.js';
import { STRING } from './builtins/string.js';
import { TEMPORAL } from './builtins/temporal.js';
import { FeelEvaluationError } from './env.js';
import { sizeOf } from './values.js';

function uuid({ env }: CallEnv): string {
  if (!env.random) throw new FeelEvaluationError('Expected a source of randomness for uuid(), but none was given');
  const random = env.random;
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256) & 0xff);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CAMUNDA: Record<string, BuiltinDef> = {
  uuid: { params: [], cost: 'const', fn: uuid },
  // tags a value as filled in by an AI agent; the engine returns the value itself
  fromAi: {
    params: ['value', 'description', 'type', 'schema', 'options'],
    arities: [1, 2, 3, 4, 5],
    cost: 'const',
    fn: (_c, [value]) => value ?? null,
  },
};

/** Every built-in by its FEEL name. */
export const BUILTINS: Readonly<Record<string, BuiltinDef>> = {
  ...BOOLEAN,
  ...STRING,
  ...NUMERIC,
  ...LIST,
  ...CONTEXT,
  ...CONVERSION,
  ...TEMPORAL,
  ...RANGE,
  ...CAMUNDA,
};

/** The names of all built-ins. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(Object.keys(BUILTINS));

/** Multi-word built-in names the parser must be told about (they contain FEEL keywords). */
export const PARSER_NAMES: readonly string[] = [...BUILTIN_NAMES].filter((n) => n.includes(' '));

/** The reserved name under which the built-in `name` is handed to feelin. */
export function builtinId(name: string): string {
  return `ƒ_${name.replace(/ /g, '_')}`;
}

/** Reserved names of the budget helpers. */
export const HELPERS = {
  variable: 'ƒvar',
  iterate: 'ƒiterate',
  range: 'ƒrange',
  scan: 'ƒscan',
  call: 'ƒcall',
  partial: 'ƒpartial',
} as const;

function rangeSize(start: unknown, end: unknown): number {
  if (typeof start === 'number' && typeof end === 'number') return Math.abs(end - start) + 1;
  if (typeof start === 'string' && typeof end === 'string' && start.length === 1 && end.length === 1)
    return Math.abs(end.charCodeAt(0) - start.charCodeAt(0)) + 1;
  return 1;
}

const count = (n: number): string => n.toLocaleString('en-US');

type Fn = ((...args: unknown[]) => unknown) & { $args: readonly string[] };
const fn = (params: readonly string[], f: (...args: unknown[]) => unknown): Fn => Object.assign(f, { $args: params });

/** The budget helpers, bound to one evaluation. */
function helpers({ budget, vars }: CallEnv): Record<string, Fn> {
  return {
    [HELPERS.variable]: fn(['name'], (name) => {
      const value = Object.prototype.hasOwnProperty.call(vars, name as string) ? vars[name as string] : undefined;
      return value === undefined ? null : value;
    }),
    [HELPERS.iterate]: fn(['domain'], (domain) => {
      const n = Array.isArray(domain) ? domain.length : isRange(domain) ? rangeSize(domain.start, domain.end) : 1;
      budget.charge(n, `an iteration over ${count(n)} elements`);
      return domain;
    }),
    [HELPERS.range]: fn(['start', 'end'], (start, end) => {
      const n = rangeSize(start, end);
      budget.charge(n, `an iteration over a range of ${count(n)} elements`);
      return start;
    }),
    [HELPERS.scan]: fn(['value'], (value) => {
      if (Array.isArray(value)) budget.charge(value.length, `a scan of a list of ${count(value.length)} elements`);
      return value;
    }),
    [HELPERS.call]: fn(['value'], (value) => {
      budget.charge(2, 'calls of user-defined functions');
      return value;
    }),
    [HELPERS.partial]: fn(['partial'], (partial) => {
      if (!Array.isArray(partial)) return partial;
      budget.charge(partial.length, `a copy of a partial result of ${count(partial.length)} elements`);
      return partial.slice();
    }),
  };
}

/** The built-in `name` bound to one evaluation: argument count checked, work charged. */
function bind(name: string, def: BuiltinDef, call: CallEnv): Fn {
  const { budget } = call;
  return fn(def.params, (...args) => {
    const given = args.filter((a) => a !== undefined).length;
    if (def.arities && !def.arities.includes(given)) {
      throw new FeelEvaluationError(
        `Expected ${name}() to be called with ${def.arities.join(' or ')} argument${def.arities.length === 1 && def.arities[0] === 1 ? '' : 's'}, but it got ${given}`,
      );
    }
    const cost = def.cost ?? 'shallow';
    let units = 1;
    if (cost !== 'const') for (const a of args) units += sizeOf(a, budget.left, cost === 'deep');
    budget.charge(units, `${name}()`);
    const result = def.fn(call, args);
    if (cost !== 'const') budget.charge(sizeOf(result, budget.left, false), `the result of ${name}()`);
    return result;
  });
}

/** The functions an expression uses (reserved names from preparation), bound to one evaluation. */
export function bindFunctions(uses: readonly string[], call: CallEnv): Record<string, Fn> {
  const out: Record<string, Fn> = {};
  const helper = helpers(call);
  for (const id of uses) {
    const h = helper[id];
    if (h) out[id] = h;
    else {
      const name = BY_ID.get(id);
      if (name) out[id] = bind(name, BUILTINS[name]!, call);
    }
  }
  return out;
}

const BY_ID = new Map([...BUILTIN_NAMES].map((n) => [builtinId(n), n]));
