/**
 * docs/dmn-coverage.md is kept true: every row of its table has a probe in dmn-coverage-probes.ts
 * (and every probe a row), and the compiler and the evaluator do what the row's verdict says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../engine/src/decisions/evaluate.js';
import { compileDmn } from '../engine/src/model/dmn/compile.js';
import { PROBES } from './dmn-coverage-probes.js';

const DOC = readFileSync(new URL('../docs/dmn-coverage.md', import.meta.url), 'utf8');
const START = '<!-- dmn-coverage:start -->';
const END = '<!-- dmn-coverage:end -->';

/** The rows between the markers: [feature, verdict]. */
function rows(): [string, string][] {
  const start = DOC.indexOf(START);
  const end = DOC.indexOf(END);
  expect(start, 'start marker').toBeGreaterThanOrEqual(0);
  expect(end, 'end marker').toBeGreaterThan(start);
  return DOC.slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| feature ') && !line.startsWith('| ---'))
    .map((line) => {
      const cells = line.split(' | ').map((c) => c.replace(/^\| /, '').trim());
      return [cells[0]!, cells[1]!];
    });
}

describe('docs/dmn-coverage.md', () => {
  it('has a probe for every row and a row for every probe, with known verdicts', () => {
    const table = rows();
    expect(table.length).toBeGreaterThan(40);
    expect(table.map(([feature]) => feature).sort()).toEqual(Object.keys(PROBES).sort());
    for (const [feature, verdict] of table) expect(['supported', 'ignored', 'rejected'], feature).toContain(verdict);
  });

  it.each(rows())('%s: %s', async (feature, verdict) => {
    // given the row's probe, when compiled (and evaluated)
    const probe = PROBES[feature]!;
    const { graph, problems } = await compileDmn(probe.xml);
    // then the compiler and the evaluator agree with the verdict
    if (verdict === 'rejected') {
      expect(graph).toBeNull();
      expect(probe.problem, 'a rejected row names the problem it expects').toBeDefined();
      expect(
        problems.map((p) => p.message).some((m) => probe.problem!.test(m)),
        JSON.stringify(problems),
      ).toBe(true);
      return;
    }
    expect(problems).toEqual([]);
    if (verdict === 'supported') expect(probe.run, 'a supported row shows what it evaluates to').toBeDefined();
    if (probe.run) {
      const answer = evaluateDecision(graph!, probe.run.decision, probe.run.variables);
      expect(answer.ok ? answer.result : answer.message).toEqual(probe.run.result);
    }
  });
});
