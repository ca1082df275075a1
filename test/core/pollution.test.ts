/**
 * Issue 9: no path-writing function of the core can reach `Object.prototype`. fast-check throws
 * hostile keys and paths (`__proto__`, `constructor`, `prototype`, inherited member names) at every
 * function that writes a key taken from input, and checks both that no prototype changed and that
 * the result is what a plain map would hold.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { evalExpr, toJson, ValueTooDeepError } from '../../engine/src/core/feel.js';
import {
  assignOwn,
  depthProblem,
  MAX_VARIABLE_DEPTH,
  setOwn,
  targetDepthProblem,
} from '../../engine/src/core/plain-data.js';
import { Run, visibleVariables } from '../../engine/src/core/run.js';
import type { InstanceState } from '../../engine/src/core/state.js';
import type { ProcessModel } from '../../engine/src/model/types.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

/** Keys an attacker would try, and harmless ones so that paths also meet existing data. */
const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'polluted'];
const key = fc.constantFrom(...HOSTILE, 'a', 'b');

/** JSON values whose object keys are hostile, shaped as JSON.parse shapes them (own `__proto__` keys). */
const json: fc.Arbitrary<unknown> = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer(),
      fc.string({ maxLength: 3 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    ),
  }))
  .value.map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const record = fc
  .dictionary(key, json, { maxKeys: 4, noNullPrototype: true })
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);

/** Everything the built-in prototypes hold now: names and values. */
function snapshot(): unknown[] {
  return [Object.prototype, Array.prototype, Function.prototype].map((proto) =>
    Object.getOwnPropertyNames(proto).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)]),
  );
}
const clean = snapshot();
afterEach(() => {
  // then, after every test: no prototype gained, lost or changed a property
  expect(snapshot()).toEqual(clean);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

/** A value as a tree of Maps (own properties only), so that comparing never meets a prototype. */
type Tree = unknown;
function tree(value: unknown): Tree {
  if (Array.isArray(value)) return value.map(tree);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.keys(value).map((k) => [k, tree((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The reference for a path write: on Map trees, where any key is just a key. */
function setPath(root: Tree, path: readonly string[], value: Tree): Tree {
  const top = root instanceof Map ? new Map(root) : new Map<string, Tree>();
  let node = top;
  path.forEach((part, i) => {
    if (i === path.length - 1) {
      node.set(part, value);
      return;
    }
    const next = node.get(part);
    const child = next instanceof Map ? new Map(next) : new Map<string, Tree>();
    node.set(part, child);
    node = child;
  });
  return top;
}

/** An instance with scopes 1 (root) > 2 > 3 holding the given variables. */
function stateWith(scopes: Record<string, Record<string, unknown>>): InstanceState {
  const element = (k: string, parent: string | null) => ({
    key: k,
    elementId: `E${k}`,
    parent,
    phase: 'active' as const,
  });
  return {
    id: '1',
    processId: 'p',
    version: 1,
    definitionKey: 'p:1',
    businessKey: null,
    status: 'active',
    suspended: false,
    startedAt: 0,
    endedAt: null,
    elements: { '1': element('1', null), '2': element('2', '1'), '3': element('3', '2') },
    vars: scopes,
    joins: {},
    compensation: {},
    incidents: {},
    deferred: [],
    nextKey: 4,
    seq: 0,
  };
}
const MODEL = { id: 'p', elements: {}, flows: {}, root: {} } as unknown as ProcessModel;
const runOn = (state: InstanceState) => new Run(state, MODEL, { now: 0, newInstanceId: () => '9' });
const scopes: fc.Arbitrary<Record<string, Record<string, unknown>>> = fc.record(
  { '1': record, '2': record, '3': record },
  { noNullPrototype: true },
);

describe('path-writing functions of the core, under hostile keys (fast-check)', () => {
  it('Run.assign writes exactly the target path, in the right scope, for any path', () => {
    fc.assert(
      fc.property(
        scopes,
        fc.array(key, { minLength: 1, maxLength: 5 }),
        json,
        fc.boolean(),
        (vars, path, value, local) => {
          // given scopes 1 > 2 > 3 with hostile variables, and a target path of hostile segments
          const state = stateWith(structuredClone(vars));
          const before = tree(state.vars);
          const [top] = path as [string];
          const owner = local ? '3' : (['3', '2', '1'].find((k) => Object.hasOwn(vars[k]!, top)) ?? '1');
          // when the value is assigned to the path from scope 3
          runOn(state).assign('3', path.join('.'), value, local ? 'local' : 'propagate');
          // then the owning scope holds what a plain map would, and every other scope is unchanged
          const expected = new Map(before as Map<string, Map<string, Tree>>);
          const scope = new Map(expected.get(owner) ?? new Map());
          const old = scope.get(top);
          scope.set(top, path.length === 1 ? tree(value) : setPath(old, path.slice(1), tree(value)));
          expected.set(owner, scope);
          expect(tree(state.vars)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('setLocal, setPropagating and mergePropagating keep every name as data; visibleVariables sees them', () => {
    fc.assert(
      fc.property(scopes, record, key, json, (vars, merged, name, value) => {
        // given hostile scopes
        const state = stateWith(structuredClone(vars));
        const run = runOn(state);
        // when a hostile name is set locally
        run.setLocal('2', name, value);
        // then scope 2 holds it as an own property
        expect(Object.getOwnPropertyDescriptor(state.vars['2'], name)?.value).toEqual(value);
        // and when a hostile record is merged outwards from scope 3
        const owners = Object.keys(merged).map(
          (k) => ['3', '2'].find((s) => Object.hasOwn(state.vars[s] ?? {}, k)) ?? '1',
        );
        run.mergePropagating('3', merged);
        // then every name landed in the nearest scope that had it, else in the root
        Object.entries(merged).forEach(([k, v], i) => {
          expect(Object.getOwnPropertyDescriptor(state.vars[owners[i]!], k)?.value).toEqual(v);
        });
        // and the visible variables are the own names of all scopes, inner ones shadowing outer ones
        const expected = new Map<string, Tree>();
        for (const s of ['1', '2', '3'])
          for (const k of Object.keys(state.vars[s] ?? {})) expected.set(k, tree(state.vars[s]![k]));
        const visible = visibleVariables(state, '3');
        expect(Object.getPrototypeOf(visible)).toBe(Object.prototype);
        expect(tree(visible)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('setOwn and assignOwn treat __proto__ as a key', () => {
    fc.assert(
      fc.property(record, key, json, (source, name, value) => {
        // given an ordinary object, when a hostile key is set, then it is its only own key
        const target: Record<string, unknown> = {};
        setOwn(target, name, value);
        expect(Object.keys(target)).toEqual([name]);
        expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
        // and copying a hostile record copies every own key, prototype untouched
        const copy = assignOwn({}, source);
        expect(tree(copy)).toEqual(tree(source));
        expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      }),
      { numRuns: 1000 },
    );
  });

  it('toJson keeps hostile context keys as own keys of ordinary objects', () => {
    fc.assert(
      fc.property(json, (value) => {
        // given a FEEL result with hostile keys, when made JSON-safe, then every key is still there
        expect(tree(toJson(value))).toEqual(tree(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('FEEL contexts with hostile keys change no prototype', () => {
    // given FEEL building contexts with hostile keys, when evaluated, then nothing leaks (afterEach)
    for (const src of [
      '{"__proto__": {"polluted": 1}}',
      'context put({}, "__proto__", {polluted: 2})',
      'context put({}, ["a", "__proto__", "polluted"], 3)',
      'context merge([{}, {"constructor": {"prototype": {"polluted": 4}}}])',
      'x.__proto__',
      'x.constructor',
    ]) {
      const r = evalExpr({ src, feel: true }, JSON.parse('{"x": {"__proto__": {"polluted": 5}}}'), { now: 0 });
      expect(r.ok, src).toBe(true);
    }
  });
});

describe('depth', () => {
  /** A value nested `depth` levels (objects and arrays alternating). */
  const nest = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };
  const reference = (v: unknown): number =>
    v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(reference)) : 0;

  it('depthProblem finds a value nested past the limit, and only then', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 6 }), (value, limit) => {
        // given any value and limit, then a problem is reported exactly when a recursive count exceeds the limit
        expect(depthProblem(value, limit) === null).toBe(reference(value) <= limit);
      }),
      { numRuns: 2000 },
    );
    // and it does not overflow on 100,000 levels, naming the path of the first level past the limit
    expect(depthProblem(nest(100_000))?.path.split('.')).toHaveLength(MAX_VARIABLE_DEPTH);
  });

  it('toJson refuses a FEEL result nested deeper than the limit; a path target counts its segments', () => {
    // a result at the limit passes, one level more is refused
    expect(tree(toJson(nest(MAX_VARIABLE_DEPTH)))).toEqual(tree(nest(MAX_VARIABLE_DEPTH)));
    expect(() => toJson(nest(MAX_VARIABLE_DEPTH + 1))).toThrow(ValueTooDeepError);
    // a name adds no level, each further path segment adds one
    expect(targetDepthProblem('x', nest(MAX_VARIABLE_DEPTH))).toBeUndefined();
    expect(targetDepthProblem('x.a.b', nest(MAX_VARIABLE_DEPTH - 2))).toBeUndefined();
    expect(targetDepthProblem('x.a.b', nest(MAX_VARIABLE_DEPTH - 1))).toMatch(
      /Expected the variable written to 'x.a.b' to nest at most 64 levels/,
    );
  });

  it('a FEEL expression that builds a value nested deeper than the limit fails as EXPRESSION_FAILED', async () => {
    // given FEEL contexts written out 64 and 65 levels deep
    const literal = (depth: number) => '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    // when evaluated, then 64 levels are a value and 65 a failure naming the limit (not a budget failure)
    let expected: unknown = 1;
    for (let i = 0; i < MAX_VARIABLE_DEPTH; i++) expected = { a: expected };
    expect(evalExpr({ src: literal(MAX_VARIABLE_DEPTH), feel: true }, {}, { now: 0 })).toEqual({
      ok: true,
      value: expected,
    });
    const deep = evalExpr({ src: literal(MAX_VARIABLE_DEPTH + 1), feel: true }, {}, { now: 0 });
    expect(deep).toEqual({ ok: false, message: expect.stringMatching(/nesting at most 64 levels/) });
    // and a script task evaluating it raises EXPRESSION_FAILED, writing nothing
    const d = new CoreDriver(
      await compile(
        bpmn(
          'deep_feel',
          `<bpmn:startEvent id="S" /><bpmn:scriptTask id="T"><bpmn:extensionElements><zeebe:script expression="=${literal(MAX_VARIABLE_DEPTH + 1)}" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask><bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}`,
        ),
      ),
    ).start();
    expect(d.incidents()).toEqual([expect.objectContaining({ elementId: 'T', type: 'EXPRESSION_FAILED' })]);
    expect(d.vars().r).toBeUndefined();
  });

  it('refuses command variables nested too deep, and makes a too deep mapping result an incident', async () => {
    // given a job whose output mapping nests its result two levels down
    const model = await compile(
      bpmn(
        'deep',
        `<bpmn:startEvent id="S" />${job('J', 'j', `<zeebe:ioMapping><zeebe:output source="=v" target="out.a.b" /></zeebe:ioMapping>`)}<bpmn:endEvent id="E" />${flow('f1', 'S', 'J')}${flow('f2', 'J', 'E')}`,
      ),
    );
    // when an instance starts with a too deep variable, then it is refused
    expect(() => new CoreDriver(model).start({ v: nest(MAX_VARIABLE_DEPTH + 1) })).toThrow(
      /VARIABLES_TOO_DEEP|nest at most/,
    );
    const d = new CoreDriver(model).start({ ok: 1 });
    expect(d.send({ type: 'SetVariables', variables: { v: nest(MAX_VARIABLE_DEPTH + 1) } })).toBe('VARIABLES_TOO_DEEP');
    // and when the job completes with a value that fits alone but not two levels down
    d.completeJob('j', { v: nest(MAX_VARIABLE_DEPTH) });
    // then the output mapping raises an incident naming the limit, and nothing was written
    const incident = Object.values(d.state.incidents)[0]!;
    expect(incident).toMatchObject({ elementId: 'J', type: 'EXPRESSION_FAILED' });
    expect(incident.message).toMatch(/'out.a.b' to nest at most 64 levels/);
    expect(d.state.vars['1']!['out']).toBeUndefined();
  });
});
