/**
 * The DMN compiler on documents as Camunda Modeler writes them: the compiled form (decisions by
 * id, immutable, JSON-serialisable), and that it never throws, whatever the bytes.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../engine/src/decisions/evaluate.js';
import { compileDmn } from '../../engine/src/model/dmn/compile.js';
import type { DecisionGraph } from '../../engine/src/model/dmn/types.js';
import { compileGraph, dmn, table } from '../decisions/dmn-helpers.js';

const LOAN = readFileSync(new URL('../fixtures/dmn/loan-underwriting.dmn', import.meta.url), 'utf8');
const lineOf = (xml: string, needle: string): number => xml.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('the compiled form', () => {
  it('holds each decision by id with its name, version tag, kind, requirements and line', async () => {
    // given the loan underwriting DRD, when compiled
    const { graph, decisions, problems } = await compileDmn(LOAN);
    // then it has no problems and four decisions
    expect(problems).toEqual([]);
    expect(graph).toMatchObject({ id: 'LoanUnderwriting', name: 'Loan underwriting' });
    expect(graph!.decisions).toBe(decisions);
    expect(Object.keys(decisions).sort()).toEqual(['creditBand', 'debtRatio', 'loanOffer', 'riskClass']);
    expect(decisions['loanOffer']).toMatchObject({
      id: 'loanOffer',
      name: 'Loan offer',
      versionTag: '2024-06',
      kind: 'table',
      requires: ['riskClass', 'debtRatio'],
      resultName: 'loanOffer',
      line: lineOf(LOAN, '<decision id="loanOffer"'),
    });
    expect(decisions['debtRatio']).toMatchObject({
      kind: 'literal',
      resultName: 'debtRatio',
      resultType: 'number',
      literal: { id: 'LiteralExpression_0ratio', expression: 'applicant.monthlyDebts / applicant.monthlyIncome' },
    });
  });

  it('keeps every column and rule of a table, empty cells as - and null', async () => {
    const { decisions } = await compileDmn(LOAN);
    const offer = decisions['loanOffer']!.table!;
    expect(offer.hitPolicy).toBe('UNIQUE');
    expect(offer.inputs).toEqual([
      { id: 'Input_0offer1', label: 'Risk class', expression: 'riskClass', typeRef: 'string' },
      { id: 'Input_0offer2', label: 'Amount', expression: 'loan.amount', typeRef: 'number' },
    ]);
    expect(offer.outputs.map((o) => o.name)).toEqual(['approved', 'rate']);
    expect(offer.rules[0]).toEqual({
      id: 'DecisionRule_0offer1',
      index: 1,
      inputEntries: ['"low"', '<= 500000'],
      outputEntries: ['true', '3.1'],
      description: 'Low risk: up to half a million',
    });
    expect(offer.rules[2]).toMatchObject({ inputEntries: ['"high"', '-'], outputEntries: ['false', 'null'] });
    expect(decisions['riskClass']!.table!.outputs[0]!.priorities).toEqual(['low', 'medium', 'high']);
    expect(decisions['creditBand']!.table!.hitPolicy).toBe('FIRST');
  });

  it('is deeply frozen', async () => {
    const { graph } = await compileDmn(LOAN);
    expect(Object.isFrozen(graph)).toBe(true);
    expect(Object.isFrozen(graph!.decisions['loanOffer']!.table!.rules[0]!.inputEntries)).toBe(true);
  });

  it('survives JSON: a stored and reloaded graph evaluates the same', async () => {
    // given the compiled graph written as JSON and read back, as a store would keep it
    const { graph } = await compileDmn(LOAN);
    const reloaded = JSON.parse(JSON.stringify(graph)) as DecisionGraph;
    expect(reloaded).toEqual(graph);
    // when both evaluate the same variables, then they answer the same
    const vars = { applicant: { creditScore: 700, monthlyDebts: 500, monthlyIncome: 4000 }, loan: { amount: 1000 } };
    expect(evaluateDecision(reloaded, 'loanOffer', vars)).toEqual(evaluateDecision(graph!, 'loanOffer', vars));
  });

  it('reads names with spaces that the document declares as input data', async () => {
    // given input data "Applicant Age" used by name in an input expression
    const xml = dmn(
      table({ id: 'band', inputs: ['Applicant Age'], outputs: ['band'], rules: [[['< 18'], ['"minor"']]] }),
      '  <inputData id="InputData_age" name="Applicant Age" />\n',
    );
    // when compiled and evaluated, then the name is read as one variable
    const graph = await compileGraph(xml);
    expect(evaluateDecision(graph, 'band', { 'Applicant Age': 12 })).toMatchObject({ ok: true, result: 'minor' });
  });

  it('reads names with spaces inside input entries too', async () => {
    // given an input entry that compares with input data "Credit Limit"
    const xml = dmn(
      table({ id: 'd', inputs: ['amount'], outputs: ['ok'], rules: [[['<= Credit Limit'], ['true']]] }),
      '  <inputData id="InputData_limit" name="Credit Limit" />\n',
    );
    // when evaluated, then the name is read as one variable
    const graph = await compileGraph(xml);
    expect(evaluateDecision(graph, 'd', { amount: 50, 'Credit Limit': 100 })).toMatchObject({ ok: true, result: true });
    expect(evaluateDecision(graph, 'd', { amount: 500, 'Credit Limit': 100 })).toMatchObject({
      ok: true,
      result: null,
    });
  });

  it('accepts what dmn-js writes around the decisions: DMNDI, text annotations, knowledge sources, authority requirements', async () => {
    const xml = dmn(
      `  <decision id="d" name="D">\n    <authorityRequirement id="AuthorityRequirement_1">\n      <requiredAuthority href="#KnowledgeSource_1" />\n    </authorityRequirement>\n    <literalExpression id="LiteralExpression_1">\n      <text>1</text>\n    </literalExpression>\n  </decision>\n`,
      '  <knowledgeSource id="KnowledgeSource_1" name="Policy handbook" />\n',
      '  <textAnnotation id="TextAnnotation_1">\n    <text>note</text>\n  </textAnnotation>\n',
    );
    expect((await compileDmn(xml)).problems).toEqual([]);
  });
});

describe('never throws', () => {
  it('answers problems, not exceptions, for any cut or corruption of a real document', async () => {
    // given the fixture cut at random places, or with random characters replaced
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: LOAN.length }),
        fc.integer({ min: 0, max: LOAN.length - 1 }),
        fc.constantFrom('<', '>', '"', '&', '', 'x', '#', '\u0000'),
        async (cut, at, ch) => {
          for (const xml of [LOAN.slice(0, cut), LOAN.slice(0, at) + ch + LOAN.slice(at + 1)]) {
            // when compiled, then it answers a graph or problems, never both, never a throw
            const result = await compileDmn(xml);
            expect(result.graph === null).toBe(result.problems.length > 0);
            if (result.graph === null) expect(result.decisions).toEqual({});
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
