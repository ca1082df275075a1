/**
 * docs/bpmn-coverage.md is kept true: its tables are exactly what scripts/coverage.ts derives from
 * the element registry, every supported element type has a behavior in the core (and vice versa),
 * and the compiler accepts exactly the cells the table marks supported.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXECUTABLE_TYPES } from '../engine/src/core/elements/registry.js';
import { compileBpmn } from '../engine/src/model/compile.js';
import { SUPPORTED } from '../engine/src/model/supported.js';
import {
  COLUMNS,
  coverageTables,
  DEFINITIONS,
  DOC_PATH,
  ELEMENTS,
  elementVerdict,
  END_MARKER,
  START_MARKER,
  verdict,
} from '../scripts/coverage.js';
import { elementProbe, eventProbe } from './coverage-probes.js';

describe('docs/bpmn-coverage.md', () => {
  it('holds exactly the generated tables between its markers (regenerate: node --import tsx scripts/coverage.ts --write)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    const start = doc.indexOf(START_MARKER);
    const end = doc.indexOf(END_MARKER);
    expect(start, 'start marker').toBeGreaterThanOrEqual(0);
    expect(end, 'end marker').toBeGreaterThan(start);
    expect(doc.slice(start + START_MARKER.length, end).trim()).toBe(coverageTables().trim());
  });

  it('lists every registered element type', () => {
    for (const type of Object.keys(SUPPORTED)) expect(ELEMENTS).toContain(type);
  });
});

describe('element registry', () => {
  it('has a core behavior for every supported element type, and supports every type with a behavior', () => {
    const supported = Object.keys(SUPPORTED).sort();
    const executable = [...EXECUTABLE_TYPES].filter((t) => t !== 'bpmn:Process').sort();
    expect(executable).toEqual(supported);
  });
});

describe('the compiler agrees with the coverage table', () => {
  describe.each(COLUMNS.map((c) => [c.title, c] as const))('%s', (_title, column) => {
    it.each(DEFINITIONS.map((k) => [k, verdict(k, column)] as const))('%s: %s', async (kind, expected) => {
      const { problems } = await compileBpmn(eventProbe(kind, column));
      if (expected === 'supported') expect(problems).toEqual([]);
      else expect(problems.length, `expected ${kind} in "${column.title}" to be rejected`).toBeGreaterThan(0);
    });
  });

  it.each(ELEMENTS.map((t) => [t, elementVerdict(t)] as const))('%s: %s', async (type, expected) => {
    const xml = elementProbe(type)!;
    const { problems } = await compileBpmn(xml);
    if (expected === 'rejected') expect(problems.length).toBeGreaterThan(0);
    else expect(problems).toEqual([]);
  });
});
