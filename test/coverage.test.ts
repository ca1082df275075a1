/**
 * docs/bpmn-coverage.md is kept true: its tables are exactly what scripts/coverage.ts derives from
 * the element registry, every supported element type has a behavior in the core (and vice versa),
 * the compiler accepts exactly the cells the table marks supported, and every supported cell runs:
 * its event fires (or is thrown) and does what BPMN says, and the instance ends without an incident.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXECUTABLE_TYPES } from '../engine/src/core/elements/registry.js';
import { compileBpmn } from '../engine/src/model/compile.js';
import { SUPPORTED } from '../engine/src/model/supported.js';
import {
  type Column,
  type DefinitionKind,
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
import { runElement, runEventCell, type ProbeRun } from './coverage-runs.js';

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

const SUPPORTED_CELLS = COLUMNS.flatMap((column) =>
  DEFINITIONS.filter((kind) => verdict(kind, column) === 'supported').map(
    (kind) => [`${column.title}: ${kind}`, kind, column] as const,
  ),
);

/** What the run of a cell must show beyond "it ended without an incident", by column. */
function expectCellRan(r: ProbeRun, kind: DefinitionKind, column: Column): void {
  const completed = r.of('element-completed');
  const terminated = r.of('element-terminated');
  // a compensation boundary event is never activated: it only links the activity to its handler
  if (!(kind === 'compensate' && column.key === 'boundary-int'))
    expect(r.of('element-activated'), 'X was activated').toContain('X');
  switch (column.key) {
    case 'start':
    case 'start-sub':
    case 'catch':
      expect(completed, 'X fired and went on').toEqual(expect.arrayContaining(['X', 'E']));
      return;
    case 'esp-int':
    case 'esp-non':
      expect(completed, 'the event sub-process ran').toEqual(expect.arrayContaining(['X', 'EE', 'Esp', 'Sub', 'E']));
      if (kind === 'compensate')
        expect(completed.indexOf('X'), 'after the sub-process').toBeGreaterThan(completed.indexOf('Sub'));
      else if (column.interrupting) expect(completed, 'the interrupted work did not end').not.toContain('IE');
      else expect(completed, 'the work went on').toContain('IE');
      return;
    case 'boundary-int':
      if (kind === 'compensate') {
        expect(completed, 'the handler ran after the transaction').toEqual(
          expect.arrayContaining(['T', 'H', 'CT', 'E']),
        );
        expect(completed.indexOf('H')).toBeGreaterThan(completed.indexOf('T'));
        return;
      }
      expect(completed, 'the boundary fired').toEqual(expect.arrayContaining(['X', 'BE']));
      expect(terminated, 'and interrupted the activity').toContain('T');
      return;
    case 'boundary-non':
      expect(completed, 'the boundary fired and the activity went on').toEqual(
        expect.arrayContaining(['X', 'BE', 'IE', 'T', 'E']),
      );
      expect(terminated).toEqual([]);
      return;
    case 'throw':
    case 'end':
      expectThrown(r, kind, column);
      return;
  }
}

/** A throw or end event X of `kind` did what it throws. */
function expectThrown(r: ProbeRun, kind: DefinitionKind, column: Column): void {
  const completed = r.of('element-completed');
  switch (kind) {
    case 'message':
      expect(r.d.effects).toContainEqual(expect.objectContaining({ type: 'PublishMessage', name: 'probe-message' }));
      break;
    case 'signal':
      expect(r.d.effects).toContainEqual(expect.objectContaining({ type: 'BroadcastSignal', name: 'probe-signal' }));
      break;
    case 'link':
      expect(completed, 'the link jumped to its catch').toContain('LC');
      break;
    case 'error':
    case 'cancel':
    case 'escalation':
      if (column.key === 'end') {
        expect(completed, 'the boundary on the transaction caught it').toEqual(expect.arrayContaining(['B', 'BE']));
        expect(r.of('element-terminated')).toContain('T');
        return;
      }
      break;
    default:
  }
  expect(completed, 'the flow went on to the end').toEqual(expect.arrayContaining(['T', 'E']));
}

describe('every supported cell of the coverage table runs', () => {
  it.each(SUPPORTED_CELLS)('%s', async (_name, kind, column) => {
    // given the cell's document, started (at X for a process start event)
    // when its event is triggered (or thrown) and everything else is worked off
    const r = await runEventCell(kind, column);
    // then the instance completed without an incident and the event did what BPMN says
    expect(r.incidents).toEqual([]);
    expect(r.status).toBe('completed');
    expectCellRan(r, kind, column);
  });

  it.each(ELEMENTS.filter((t) => elementVerdict(t) === 'supported'))('%s', async (type) => {
    // given an element between a start and an end event, when the instance runs and its work is done
    const r = await runElement(type);
    // then it completed without an incident, through the element
    expect(r.incidents).toEqual([]);
    expect(r.status).toBe('completed');
    expect(r.of('element-completed')).toContain(type === 'bpmn:SequenceFlow' ? 'E' : 'X');
  });
});
