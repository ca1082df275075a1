/**
 * Variables are plain data built from outside input (request bodies, FEEL results, model
 * attributes). Two rules keep such data from reaching into the engine:
 *
 * - **Keys are data.** A key such as `__proto__` written with `obj[key] = value` replaces the
 *   object's prototype, and a path walked with `obj[part]` reads `Object.prototype` itself; that is
 *   how a mapping target `x.__proto__.polluted` polluted every object of the process. Every write of
 *   an outside key goes through {@link setOwn} (an own data property, whatever the key) and every
 *   read through {@link getOwn} (own properties only). Values stay ordinary objects, because FEEL
 *   (feelin) and job handlers expect `Object.prototype` methods on them.
 * - **Depth is bounded.** Copying, cloning and serialising are recursive; a value nested thousands
 *   of levels deep overflows the stack. {@link depthProblem} finds a value nested deeper than
 *   {@link MAX_VARIABLE_DEPTH} without recursing itself.
 */

/** Keys that name JavaScript's object machinery: refused as mapping targets and ids at deploy. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Names `Object.prototype` gives every ordinary object (`toString`, `hasOwnProperty`, …) plus
 * {@link RESERVED_KEYS}: as element ids they would be confused with inherited members of the
 * engine's id-keyed records, so the compiler refuses them.
 */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
  ...RESERVED_KEYS,
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Most levels of objects and arrays a variable value may nest (`{"a": {"b": 1}}` nests 2). */
export const MAX_VARIABLE_DEPTH = 64;

/**
 * Thrown when a value built inside the engine (a FEEL result turned into JSON) nests deeper than
 * {@link MAX_VARIABLE_DEPTH}: such a value could not be stored as a variable.
 */
export class ValueTooDeepError extends Error {
  constructor() {
    super(`Expected a value nesting at most ${MAX_VARIABLE_DEPTH} levels of objects and arrays, but it nests deeper`);
    this.name = 'ValueTooDeepError';
  }
}

/** Segments a mapping target path may have (`order.items.count` has 3). */
export const MAX_TARGET_SEGMENTS = 16;

type Obj = Record<string, unknown>;

/** True for a non-null, non-array object: something a path can walk into. */
export function isRecord(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A record without a prototype, for maps the engine keys by outside names (element ids): no key is
 * inherited, and `__proto__` is an ordinary key. Only for records that stay inside the engine.
 */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Writes `obj[key] = value` as an own, enumerable data property: `__proto__` is a key like any other. */
export function setOwn(obj: Obj, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** `obj[key]` when `obj` has it as an own property, else undefined (never an inherited member). */
export function getOwn(obj: unknown, key: string): unknown {
  return isRecord(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * Copies the own enumerable properties of `source` into the ordinary object `target`, like
 * Object.assign but with `__proto__` as data. (Object.assign itself is safe, and faster, when
 * `source` has no own `__proto__`: no other key of an ordinary object has a setter.)
 */
export function assignOwn(target: Obj, source: Obj | undefined): Obj {
  if (!source) return target;
  if (!Object.prototype.hasOwnProperty.call(source, '__proto__')) return Object.assign(target, source);
  for (const [k, v] of Object.entries(source)) setOwn(target, k, v);
  return target;
}

/** Where a value nests too deep: the path to the first object or array below the limit. */
export interface DepthProblem {
  /** Dotted path from the value's root, e.g. `a.b.0.c` (indexes for arrays). */
  readonly path: string;
  readonly limit: number;
}

/**
 * The first place where `value` nests more than `limit` levels of objects and arrays, or null.
 * Iterative (an explicit stack), so it cannot overflow on the very input it guards against. The
 * common case, a value within the limit, allocates nothing per node; the path is worked out only
 * for a value that is too deep.
 */
export function depthProblem(value: unknown, limit = MAX_VARIABLE_DEPTH): DepthProblem | null {
  if (value === null || typeof value !== 'object') return null;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const node = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return { path: pathTo(value, limit), limit };
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        values.push(child as object);
        depths.push(depth + 1);
      }
    }
  }
  return null;
}

/** The dotted path to the first object or array of `value` nested deeper than `limit` (one is known to exist). */
function pathTo(value: unknown, limit: number): string {
  const stack: DepthNode[] = [{ value, depth: 1, key: '', parent: null }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.depth > limit) return pathOf(node);
    const entries = Array.isArray(node.value) ? node.value.entries() : Object.entries(node.value as object);
    for (const [k, v] of entries) {
      if (v !== null && typeof v === 'object')
        stack.push({ value: v, depth: node.depth + 1, key: String(k), parent: node });
    }
  }
  return '';
}

/** A value met by {@link pathTo}, with the way back to the root. */
interface DepthNode {
  readonly value: unknown;
  readonly depth: number;
  readonly key: string;
  readonly parent: DepthNode | null;
}

function pathOf(node: DepthNode): string {
  const keys: string[] = [];
  for (let n: DepthNode | null = node; n?.parent; n = n.parent) keys.push(n.key);
  return keys.reverse().join('.');
}

/** The first variable of `vars` whose value nests deeper than the limit, as a path `name.a.b`, or null. */
export function variablesDepthProblem(vars: Obj | undefined, limit = MAX_VARIABLE_DEPTH): DepthProblem | null {
  if (!vars) return null;
  for (const [name, value] of Object.entries(vars)) {
    const found = depthProblem(value, limit);
    if (found) return { path: join(name, found.path), limit };
  }
  return null;
}

/**
 * Why writing `value` to the mapping target `target` (a name or a path such as `order.total`) would
 * make its variable nest deeper than {@link MAX_VARIABLE_DEPTH}, or undefined when it fits: every
 * path segment after the first adds one level.
 */
export function targetDepthProblem(target: string, value: unknown): string | undefined {
  const added = target.split('.').length - 1;
  const found = depthProblem(value, MAX_VARIABLE_DEPTH - added);
  if (!found) return undefined;
  return depthMessage(`the variable written to '${target}'`, {
    path: found.path === '' ? target : `${target}.${found.path}`,
    limit: MAX_VARIABLE_DEPTH,
  });
}

/** The message of a {@link DepthProblem} found in `what` (e.g. "variable"). */
export function depthMessage(what: string, problem: DepthProblem): string {
  const where = problem.path.length > 80 ? `${problem.path.slice(0, 80)}…` : problem.path;
  return `Expected ${what} to nest at most ${problem.limit} levels of objects and arrays, but the value at '${where}' is nested deeper`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
