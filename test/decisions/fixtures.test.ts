/**
 * The DMN fixtures are files as dmn-js writes them, and they evaluate as an analyst expects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DmnModdle } from 'dmn-moddle';
import zeebe from 'zeebe-dmn-moddle/resources/zeebe.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../engine/src/decisions/evaluate.js';
import { compileGraph } from './dmn-helpers.js';

const DIR = new URL('../fixtures/dmn/', import.meta.url);
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.dmn'));
const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');

describe('the fixtures', () => {
  it.each(FIXTURES)('%s is byte for byte what dmn-moddle, the serializer of dmn-js, writes for it', async (name) => {
    // given a fixture, when dmn-moddle reads it and writes it back as dmn-js saves a diagram
    const xml = read(name);
    const moddle = new DmnModdle({ zeebe });
    const { rootElement, warnings } = await moddle.fromXML(xml, 'dmn:Definitions');
    const written = await (moddle as unknown as { toXML(e: unknown, o: object): Promise<{ xml: string }> }).toXML(
      rootElement,
      { format: true },
    );
    // then nothing changes
    expect(warnings).toEqual([]);
    expect(written.xml).toBe(xml);
  });
});

describe('shipping.dmn', () => {
  const parcel = (weight: number, country: string, notes?: string) => ({
    parcel: { weight, country, ...(notes ? { notes } : {}) },
    orderDate: '2024-12-18',
  });

  it('COLLECT SUM adds the surcharges that apply, a ? test reading the notes', async () => {
    const graph = await compileGraph(read('shipping.dmn'));
    expect(evaluateDecision(graph, 'surcharges', parcel(25, 'FR', 'FRAGILE glass'))).toMatchObject({
      ok: true,
      result: 24,
    });
    expect(evaluateDecision(graph, 'surcharges', parcel(1, 'DE'))).toMatchObject({ ok: true, result: null });
  });

  it('PRIORITY picks the carrier ranked first by the output values among the matching rules', async () => {
    const graph = await compileGraph(read('shipping.dmn'));
    // 1 kg to Germany matches "post" (rule 1) and "express" (rule 2): express ranks higher
    expect(evaluateDecision(graph, 'carrier', parcel(1, 'DE'))).toMatchObject({ ok: true, result: 'express' });
    expect(evaluateDecision(graph, 'carrier', parcel(1, 'FR'))).toMatchObject({ ok: true, result: 'post' });
    expect(evaluateDecision(graph, 'carrier', parcel(40, 'DE'))).toMatchObject({ ok: true, result: 'freight' });
  });

  it('RULE ORDER lists the quote lines, reading required results (a FEEL date among them)', async () => {
    // given a 1 kg parcel to Austria ordered on 2024-12-18: express, delivered the next day
    const graph = await compileGraph(read('shipping.dmn'));
    const answer = evaluateDecision(graph, 'quote', parcel(1, 'AT'));
    // then the lines come in table order, the holiday line matched on the date
    expect(answer).toMatchObject({
      ok: true,
      result: [
        { line: 'carriage', amount: 19.9 },
        { line: 'surcharges', amount: 7 },
      ],
    });
    const late = evaluateDecision(graph, 'quote', { ...parcel(1, 'DE'), orderDate: '2024-12-19' });
    expect(late.ok && late.result).toEqual([
      { line: 'carriage', amount: 19.9 },
      { line: 'holiday season', amount: 3 },
      { line: 'surcharges', amount: null },
    ]);
    expect(late.audit.decisions.map((d) => [d.decisionId, d.result])).toEqual([
      ['surcharges', null],
      ['carrier', 'express'],
      ['deliveryDate', '2024-12-20'],
      ['quote', late.ok && late.result],
    ]);
  });
});
