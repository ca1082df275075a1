/**
 * Hand-rolled checks of request bodies and query strings at the HTTP edge. Each failure is a
 * `400 INVALID_REQUEST` whose message and `details[0].field` name the offending field.
 */
import type { Request } from 'express';
import { EngineError, type Audit } from '../runtime/api-types.js';
import { depthMessage, variablesDepthProblem } from '../core/plain-data.js';
import { principalOf } from './auth.js';

/** The JSON types a body field can be required to have. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

interface TypeOf {
  string: string;
  number: number;
  integer: number;
  boolean: boolean;
  object: Record<string, unknown>;
  array: unknown[];
}

const ARTICLE: Record<FieldType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a JSON object',
  array: 'an array',
};

/** A `400 INVALID_REQUEST` about one field. */
export function invalidField(field: string, message: string): EngineError {
  return new EngineError(400, 'INVALID_REQUEST', `Field '${field}' ${message}.`, [{ field, message }]);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

/** Options of {@link field}. */
export interface FieldOptions {
  /** Absent (or null) is fine: the result is then undefined. */
  optional?: boolean;
  /** Smallest allowed value of a number or integer field. */
  min?: number;
  /** Largest allowed value of a number or integer field. */
  max?: number;
}

/** Reads `obj[name]` and checks it has `type`; throws {@link invalidField} otherwise. */
export function field<T extends FieldType>(
  obj: Record<string, unknown>,
  name: string,
  type: T,
  opts: FieldOptions & { optional: true },
): TypeOf[T] | undefined;
export function field<T extends FieldType>(
  obj: Record<string, unknown>,
  name: string,
  type: T,
  opts?: FieldOptions,
): TypeOf[T];
export function field<T extends FieldType>(
  obj: Record<string, unknown>,
  name: string,
  type: T,
  opts: FieldOptions = {},
): TypeOf[T] | undefined {
  const value = obj[name];
  if (value === undefined || value === null) {
    if (opts.optional) return undefined;
    throw invalidField(name, `is required and must be ${ARTICLE[type]}`);
  }
  if (!hasType(value, type)) throw invalidField(name, `must be ${ARTICLE[type]}, not ${describe(value)}`);
  if (opts.min !== undefined && (value as number) < opts.min) throw invalidField(name, `must be at least ${opts.min}`);
  if (opts.max !== undefined && (value as number) > opts.max) throw invalidField(name, `must be at most ${opts.max}`);
  return value as TypeOf[T];
}

/**
 * The optional `variables` object of a body, refused with `400 VARIABLES_TOO_DEEP` when a value
 * nests deeper than `MAX_VARIABLE_DEPTH` levels (see core/plain-data.ts): such a value could not
 * be copied or stored without overflowing the stack. The details name the path of the value.
 */
export function variablesField(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const variables = field(body, 'variables', 'object', { optional: true });
  checkDepth(variables, 'variables.');
  return variables;
}

/** A body that is itself the variables (`PATCH /instances/:id/variables`), checked like {@link variablesField}. */
export function variablesBody(req: Request): Record<string, unknown> {
  const variables = jsonBody(req);
  checkDepth(variables, '');
  return variables;
}

function checkDepth(variables: Record<string, unknown> | undefined, prefix: string): void {
  const found = variablesDepthProblem(variables);
  if (!found) return;
  const path = prefix + found.path;
  throw new EngineError(400, 'VARIABLES_TOO_DEEP', `${depthMessage('the variables', { ...found, path })}.`, [
    { field: path.length > 200 ? `${path.slice(0, 200)}…` : path, limit: found.limit },
  ]);
}

/** The parsed JSON body as an object; `{}` when the request had none. Arrays and scalars are rejected. */
export function jsonBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EngineError(400, 'INVALID_REQUEST', `Request body must be a JSON object, not ${describe(body)}.`, [
      { field: '(body)', message: 'must be a JSON object' },
    ]);
  }
  return body as Record<string, unknown>;
}

/** A single-valued query parameter, or undefined when absent. */
export function queryString(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidField(name, 'must be given once, as a plain string');
  return value;
}

/** A non-negative integer query parameter (at least `min`), or undefined when absent. */
export function queryInt(req: Request, name: string, min = 0): number | undefined {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(value)) throw invalidField(name, `must be an integer, not '${raw}'`);
  if (value < min) throw invalidField(name, `must be at least ${min}`);
  return value;
}

/**
 * The most items one answer of a list may hold: `limit` of every list endpoint, `maxJobs` of a job
 * activation. Above it the request is refused (400), never silently cut, so a client paging with
 * `limit`/`offset` cannot miss items.
 */
export const MAX_LIST_LIMIT = 1000;

/** The `limit` query parameter: an integer from `min` to {@link MAX_LIST_LIMIT}, or undefined when absent. */
export function queryLimit(req: Request, min: number): number | undefined {
  const limit = queryInt(req, 'limit', min);
  if (limit !== undefined && limit > MAX_LIST_LIMIT) throw invalidField('limit', `must be at most ${MAX_LIST_LIMIT}`);
  return limit;
}

/** A query parameter that must be one of `allowed`. */
export function queryEnum<T extends string>(req: Request, name: string, allowed: readonly T[]): T | undefined {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw invalidField(name, `must be one of ${allowed.join(', ')}`);
  return raw as T;
}

/**
 * The audit of an operator action: `reason` as given; the actor is the name of the bearer token when
 * access control is on (the `X-Baton-Actor` header is then ignored), else that header.
 */
export function auditOf(req: Request, reason: string | undefined): Audit {
  const audit: Audit = {};
  if (reason !== undefined) audit.reason = reason;
  const principal = principalOf(req);
  const actor = principal ? principal.name : req.get('x-baton-actor');
  if (actor) audit.actor = actor;
  return audit;
}
