/**
 * Checks of the bodies of the operations routes (modification, migration, batch operations): each
 * failure is a `400 INVALID_REQUEST` naming the field, before anything reaches the engine.
 */
import type { MappingInstruction } from '../core/migrate.js';
import type { Modification } from '../core/modify.js';
import { depthMessage, variablesDepthProblem } from '../core/plain-data.js';
import type { InstanceStatus } from '../runtime/api-types.js';
import { EngineError } from '../runtime/api-types.js';
import type { BatchFilter } from '../runtime/operations-types.js';
import { invalidField } from './validate.js';

/** Most instructions one modification or migration may hold. */
export const MAX_INSTRUCTIONS = 100;
/** Most instance ids one batch filter may list. */
export const MAX_INSTANCE_IDS = 1000;
const MAX_ID_LENGTH = 255;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An element id or key: a non-empty string of at most 255 characters without control characters. */
export function idField(obj: Obj, name: string, path: string, optional = false): string | undefined {
  const v = obj[name];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw invalidField(`${path}${name}`, 'is required and must be a string');
  }
  // eslint-disable-next-line no-control-regex
  if (typeof v !== 'string' || v === '' || v.length > MAX_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(v))
    throw invalidField(
      `${path}${name}`,
      `must be a non-empty string of at most ${MAX_ID_LENGTH} characters without control characters`,
    );
  return v;
}

/** An optional array of objects, at most {@link MAX_INSTRUCTIONS}. */
function list(obj: Obj, name: string, path = ''): Obj[] | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidField(`${path}${name}`, 'must be an array');
  if (v.length > MAX_INSTRUCTIONS) throw invalidField(`${path}${name}`, `must hold at most ${MAX_INSTRUCTIONS} items`);
  v.forEach((item, i) => {
    if (!isObj(item)) throw invalidField(`${path}${name}[${i}]`, 'must be a JSON object');
  });
  return v as Obj[];
}

function variableInstructions(obj: Obj, path: string) {
  const items = list(obj, 'variableInstructions', path);
  return items?.map((v, i) => {
    const at = `${path}variableInstructions[${i}].`;
    if (!isObj(v.variables)) throw invalidField(`${at}variables`, 'is required and must be a JSON object');
    const tooDeep = variablesDepthProblem(v.variables);
    if (tooDeep)
      throw new EngineError(400, 'VARIABLES_TOO_DEEP', `${depthMessage('the variables', tooDeep)}.`, [
        { field: `${at}variables` },
      ]);
    const scopeId = idField(v, 'scopeId', at, true);
    return { variables: v.variables, ...(scopeId ? { scopeId } : {}) };
  });
}

/** The modification of a body: `activate`, `terminate` and `move` instructions. */
export function modificationOf(body: Obj, path = ''): Modification {
  const activate = list(body, 'activate', path)?.map((a, i) => {
    const at = `${path}activate[${i}].`;
    const ancestorKey = idField(a, 'ancestorKey', at, true);
    const vars = variableInstructions(a, at);
    return {
      elementId: idField(a, 'elementId', at)!,
      ...(ancestorKey ? { ancestorKey } : {}),
      ...(vars ? { variableInstructions: vars } : {}),
    };
  });
  const terminate = list(body, 'terminate', path)?.map((t, i) => {
    const at = `${path}terminate[${i}].`;
    const key = idField(t, 'elementKey', at, true);
    const id = idField(t, 'elementId', at, true);
    if ((key === undefined) === (id === undefined))
      throw invalidField(`${at}elementKey`, 'or elementId must be given: exactly one of the two');
    return key !== undefined ? { elementKey: key } : { elementId: id! };
  });
  const move = list(body, 'move', path)?.map((m, i) => {
    const at = `${path}move[${i}].`;
    const vars = variableInstructions(m, at);
    return {
      sourceElementId: idField(m, 'sourceElementId', at)!,
      targetElementId: idField(m, 'targetElementId', at)!,
      ...(vars ? { variableInstructions: vars } : {}),
    };
  });
  return { ...(activate ? { activate } : {}), ...(terminate ? { terminate } : {}), ...(move ? { move } : {}) };
}

/** The mapping instructions of a migration (a `targetElementId` of null maps to nothing). */
export function mappingOf(body: Obj, path = ''): MappingInstruction[] | undefined {
  return list(body, 'mappingInstructions', path)?.map((m, i) => {
    const at = `${path}mappingInstructions[${i}].`;
    return {
      sourceElementId: idField(m, 'sourceElementId', at)!,
      targetElementId: m.targetElementId === null ? null : idField(m, 'targetElementId', at)!,
    };
  });
}

const STATUSES: readonly InstanceStatus[] = ['active', 'suspended', 'completed', 'cancelled'];

/** The filter of a batch operation. */
export function batchFilterOf(body: Obj): BatchFilter {
  const f = body.filter;
  if (!isObj(f)) throw invalidField('filter', 'is required and must be a JSON object');
  const at = 'filter.';
  const version = f.version;
  if (version !== undefined && version !== null && !(Number.isSafeInteger(version) && (version as number) >= 1))
    throw invalidField(`${at}version`, 'must be an integer of at least 1');
  const state = f.state;
  if (state !== undefined && state !== null && !STATUSES.includes(state as InstanceStatus))
    throw invalidField(`${at}state`, `must be one of ${STATUSES.join(', ')}`);
  let instanceIds: string[] | undefined;
  if (f.instanceIds !== undefined && f.instanceIds !== null) {
    if (!Array.isArray(f.instanceIds) || f.instanceIds.length > MAX_INSTANCE_IDS)
      throw invalidField(`${at}instanceIds`, `must be an array of at most ${MAX_INSTANCE_IDS} ids`);
    instanceIds = f.instanceIds.map((id, i) => idField({ id }, 'id', `${at}instanceIds[${i}].`)!);
  }
  const pick = (name: string) => idField(f, name, at, true);
  const out: BatchFilter = {};
  for (const name of ['processId', 'elementId', 'incidentType', 'businessKey'] as const) {
    const v = pick(name);
    if (v !== undefined) out[name] = v;
  }
  if (typeof version === 'number') out.version = version;
  if (typeof state === 'string') out.state = state as InstanceStatus;
  if (instanceIds) out.instanceIds = instanceIds;
  return out;
}
