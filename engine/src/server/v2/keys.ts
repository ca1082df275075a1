/**
 * Camunda keys for Baton ids. Camunda's REST API names everything by a "key", a decimal string of
 * at most 25 digits; Baton names instances by decimal ids and everything inside an instance (element
 * instances, jobs, user tasks, incidents) by `<instanceId>-<n>`. Both are written as one decimal
 * string: the number of digits of the instance id (1–9), the instance id, then `n` (absent for the
 * instance itself). So instance `42` is key `242`, its job `42-7` is key `2427`, and no key of an
 * instance can be mistaken for a key inside one. Deployed things (process definitions, decisions,
 * decision requirements, forms) are named the same way by their deployment id and their place in it
 * (see ./catalog.ts). Decoding refuses any other string with `404` (such a key names nothing here).
 */
import { ROOT_KEY } from '../../core/state.js';
import { EngineError } from '../../runtime/api-types.js';

const DIGITS = /^[0-9]+$/;

/** The key of the pair (`head`, `tail`): both decimal, `head` of 1 to 9 digits. */
export function pairKey(head: string, tail?: string): string {
  if (!DIGITS.test(head) || head.length > 9 || (tail !== undefined && !DIGITS.test(tail)))
    throw new EngineError(500, 'INTERNAL', `Baton id '${head}${tail ? `-${tail}` : ''}' has no Camunda key`);
  return `${head.length}${head}${tail ?? ''}`;
}

/** The pair a key was made of, or undefined when `key` is not such a key. */
export function splitKey(key: string): { head: string; tail?: string } | undefined {
  if (!DIGITS.test(key) || key.length > 25 || key[0] === '0') return undefined;
  const len = Number(key[0]);
  if (key.length < 1 + len) return undefined;
  const head = key.slice(1, 1 + len);
  const tail = key.slice(1 + len);
  if (head[0] === '0' && head !== '0') return undefined;
  return tail === '' ? { head } : { head, tail };
}

/** The key of process instance `id`. */
export const instanceKey = (id: string): string => pairKey(id);

/** The key of something inside an instance (`<instanceId>-<n>`); the root scope is the instance itself. */
export function scopedKey(instanceId: string, local: string): string {
  return local === ROOT_KEY ? pairKey(instanceId) : pairKey(instanceId, local);
}

/** The key of a job, user task or incident id `<instanceId>-<n>`. */
export function idKey(id: string): string {
  const dash = id.indexOf('-');
  if (dash < 0) throw new EngineError(500, 'INTERNAL', `Baton id '${id}' has no Camunda key`);
  return pairKey(id.slice(0, dash), id.slice(dash + 1));
}

/** What a key names: an instance, or a thing inside one (`id` is then `<instanceId>-<n>`). */
export interface DecodedKey {
  instanceId: string;
  /** The local key inside the instance; the root scope ("1") for the instance itself. */
  local: string;
  /** The Baton id: the instance id, or `<instanceId>-<n>`. */
  id: string;
}

/** Decodes a key of an instance or of something inside one; `what` names it in the 404. */
export function decodeKey(key: string, what: string): DecodedKey {
  const pair = splitKey(key);
  if (!pair) throw notFoundKey(what, key);
  if (pair.tail === undefined) return { instanceId: pair.head, local: ROOT_KEY, id: pair.head };
  if (pair.tail === ROOT_KEY || pair.tail[0] === '0') throw notFoundKey(what, key);
  return { instanceId: pair.head, local: pair.tail, id: `${pair.head}-${pair.tail}` };
}

/** Decodes the key of a process instance (not of something inside one). */
export function decodeInstanceKey(key: string): string {
  const decoded = decodeKey(key, 'Process instance');
  if (decoded.local !== ROOT_KEY) throw notFoundKey('Process instance', key);
  return decoded.instanceId;
}

/** Decodes the key of a job, user task or incident: `<instanceId>-<n>`. */
export function decodeIdKey(key: string, what: string): string {
  const decoded = decodeKey(key, what);
  if (decoded.local === ROOT_KEY) throw notFoundKey(what, key);
  return decoded.id;
}

let counter = 0;
/**
 * A key for an answer that names nothing Baton stores (a message publication, a signal broadcast,
 * a standalone decision evaluation): unique within this server's run, never found by a read.
 */
export function eventKey(): string {
  counter = (counter + 1) % 1_000_000;
  return pairKey('0', `${Date.now()}${String(counter).padStart(6, '0')}`);
}

/** `404 NOT_FOUND` for a key that names nothing. */
export function notFoundKey(what: string, key: string): EngineError {
  return new EngineError(404, 'NOT_FOUND', `${what} with key '${key}' was not found.`, [{ key }]);
}
