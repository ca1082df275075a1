/**
 * The "Camunda 8 compatibility" section of docs/bpmn-coverage.md is kept true: every extension
 * element and attribute of zeebe-bpmn-moddle's descriptor has a row, each row's probe model deploys
 * (supported), deploys with a warning (warning) or is refused (rejected) as the row says, and the
 * doc holds exactly the generated table.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../engine/src/model/compile.js';
import {
  ABSTRACT_TYPES,
  compatTable,
  DOC_PATH,
  END_MARKER,
  probeXml,
  ROWS,
  START_MARKER,
  type Verdict,
} from '../scripts/zeebe-compat.js';

interface DescriptorType {
  name: string;
  properties?: { name: string; isAttr?: boolean }[];
}
const descriptor = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json') as {
  types: DescriptorType[];
};

describe('Camunda 8 compatibility table', () => {
  it('has a row for every extension element and attribute of the zeebe descriptor', () => {
    const missing: string[] = [];
    for (const t of descriptor.types) {
      const type = `zeebe:${t.name}`;
      if (ABSTRACT_TYPES.has(type)) continue;
      if (!ROWS.some((r) => r.type === type)) missing.push(type);
      for (const p of t.properties ?? []) {
        if (!p.isAttr) continue;
        if (!ROWS.some((r) => r.type === type && r.attribute === p.name)) missing.push(`${type}@${p.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(ROWS.map((r) => [`${r.type}${r.attribute ? ` ${r.attribute}` : ''}`, r] as const))(
    '%s behaves as the table says',
    async (_name, row) => {
      const result = await compileBpmn(probeXml(row));
      const got: Verdict =
        result.problems.length > 0 ? 'rejected' : result.warnings.length > 0 ? 'warning' : 'supported';
      expect(got, JSON.stringify({ problems: result.problems, warnings: result.warnings })).toBe(row.verdict);
      if (row.verdict !== 'supported') {
        const said = [...result.problems, ...result.warnings].map((p) => p.elementId);
        expect(said).toContain(row.at ?? 'X');
      }
    },
  );

  it('is the table of docs/bpmn-coverage.md (regenerate: node --import tsx scripts/zeebe-compat.ts --write)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    const start = doc.indexOf(START_MARKER);
    const end = doc.indexOf(END_MARKER);
    expect(start, 'start marker').toBeGreaterThanOrEqual(0);
    expect(end, 'end marker').toBeGreaterThan(start);
    expect(doc.slice(start + START_MARKER.length, end).trim()).toBe(compatTable().trim());
  });
});
