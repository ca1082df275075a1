/**
 * FEEL values as the evaluator meets them (numbers, strings, booleans, null, lists, contexts and
 * feelin's temporal values): their type names, equality, and the typeRef check of decision results.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';
import { toJson } from '../core/feel.js';

/** The FEEL type name of a value, for messages and typeRef checks. */
export function feelTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return typeof value;
  if (Array.isArray(value)) return 'list';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelDateTime) return 'date and time';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof FeelDuration) return value.yearsMonths ? 'years and months duration' : 'days and time duration';
  if (typeof value === 'function') return 'function';
  return 'context';
}

/** DMN typeRef names (with and without the `feel:` prefix) -> the FEEL type they require. */
const TYPE_REFS: Readonly<Record<string, string>> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  dateTime: 'date and time',
  'date and time': 'date and time',
  dayTimeDuration: 'days and time duration',
  'days and time duration': 'days and time duration',
  yearMonthDuration: 'years and months duration',
  'years and months duration': 'years and months duration',
};

/**
 * Checks a decision's result against its variable's typeRef, as Camunda 8 does: null passes, a
 * typeRef Baton does not know (an item definition, `Any`) is not checked. Returns a message, or
 * null when the value fits.
 */
export function typeRefMismatch(value: unknown, typeRef: string | undefined): string | null {
  if (typeRef === undefined || value === null) return null;
  const wanted = TYPE_REFS[typeRef.replace(/^feel:/, '')];
  if (wanted === undefined) return null;
  const actual = feelTypeOf(value);
  return actual === wanted ? null : `it is a ${actual}: ${describe(value)}`;
}

/** Structural equality of two FEEL values, through their JSON form (context key order does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  return sameJson(toJson(a), toJson(b));
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as never)[k], (b as never)[k]));
}

/** A short JSON rendering of a value for messages. */
export function describe(value: unknown): string {
  const text = JSON.stringify(toJson(value)) ?? 'null';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
