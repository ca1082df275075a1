/**
 * The shape of a FEEL built-in function, and access to feelin's own built-ins where they already
 * answer as Camunda documents.
 */
import { evaluate } from 'feelin';
import type { FeelBudget, FeelEnv } from './env.js';

/** What a built-in gets besides its arguments. */
export interface CallEnv {
  readonly env: FeelEnv;
  readonly budget: FeelBudget;
  /** The caller's variables. */
  readonly vars: Readonly<Record<string, unknown>>;
}

/**
 * Work charged before a call: `const` one unit; `shallow` one plus the elements (and string
 * kilobytes) of the arguments; `deep` the same counting nested lists and contexts.
 */
export type Cost = 'const' | 'shallow' | 'deep';

/** A built-in function. */
export interface BuiltinDef {
  /** Camunda's parameter names (named invocation); `...name` takes the remaining arguments. */
  readonly params: readonly string[];
  /** The argument counts Camunda accepts, when not every count up to `params.length` is valid. */
  readonly arities?: readonly number[];
  readonly cost?: Cost;
  readonly fn: (call: CallEnv, args: unknown[]) => unknown;
}

type RawFn = (...args: unknown[]) => unknown;
const feelinFns = new Map<string, RawFn>();

/**
 * feelin's own implementation of the built-in `name`. feelin does not export its built-ins, but a
 * built-in's name evaluates to the function itself.
 */
export function feelinBuiltin(name: string): RawFn {
  let f = feelinFns.get(name);
  if (!f) {
    const value = evaluate(`\`${name}\``, {}, 'camunda').value;
    if (typeof value !== 'function') throw new Error(`Expected feelin to have the built-in ${name}, but it has not`);
    f = value as RawFn;
    feelinFns.set(name, f);
  }
  return f;
}

/** A built-in that is feelin's, under Camunda's parameter names. */
export function delegate(name: string, params: readonly string[], extra: Partial<BuiltinDef> = {}): BuiltinDef {
  const f = feelinBuiltin(name);
  return { params, ...extra, fn: (_call, args) => f(...args) };
}

/** Several feelin built-ins at once, each with its parameter names. */
export function delegates(table: Record<string, readonly string[]>, cost?: Cost): Record<string, BuiltinDef> {
  return Object.fromEntries(
    Object.entries(table).map(([name, params]) => [name, delegate(name, params, cost ? { cost } : {})]),
  );
}

/** True for a string. */
export const isString = (v: unknown): v is string => typeof v === 'string';
/** True for a finite number. */
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
