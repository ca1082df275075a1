/**
 * Every problem the DMN compiler reports names the element and its line, and nothing half-checked
 * compiles: unparsable FEEL, unknown hit policies and aggregations, unnamed outputs, missing or
 * cyclic requirements, what Baton does not evaluate, and hostile XML.
 */
import { describe, expect, it } from 'vitest';
import { compileDmn } from '../../engine/src/model/dmn/compile.js';
import type { Problem } from '../../engine/src/model/types.js';
import { dmn, literal, table } from '../decisions/dmn-helpers.js';

const lineOf = (xml: string, needle: string): number => {
  const index = xml.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`Expected ${needle} in the XML`);
  return index + 1;
};

/** Compiles `xml`, expecting it to be refused, and returns its problems. */
async function problems(xml: string): Promise<readonly Problem[]> {
  const result = await compileDmn(xml);
  expect(result.graph).toBeNull();
  expect(result.decisions).toEqual({});
  expect(result.problems.length).toBeGreaterThan(0);
  return result.problems;
}

/** The one problem of `xml`, expected on `elementId` at the line holding `id="elementId"`. */
async function problemOn(xml: string, elementId: string): Promise<string> {
  const found = await problems(xml);
  expect(found).toEqual([{ elementId, line: lineOf(xml, `id="${elementId}"`), message: expect.any(String) }]);
  return found[0]!.message;
}

const oneRule = (ins: string[], outs: string[]) => [[ins, outs]] as const;

describe('unparsable FEEL, on the cell that holds it', () => {
  it('in an input expression', async () => {
    const xml = dmn(table({ id: 'd', inputs: ['amount >'], outputs: ['o'], rules: oneRule(['-'], ['1']) }));
    expect(await problemOn(xml, 'InputExpression_d_1')).toBe(
      'Expected the input expression of Input_d_1 to be a valid FEEL expression, but it ends early (at position 8): "amount >"',
    );
  });

  it('in an input entry (unary tests)', async () => {
    const xml = dmn(table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: oneRule(['[1..'], ['1']) }));
    expect(await problemOn(xml, 'UnaryTests_d_1_1')).toMatch(
      /^Expected the input entry of rule DecisionRule_d_1 \(column 1\) to be valid FEEL unary tests, but .*: "\[1\.\."$/,
    );
  });

  it('in an output entry', async () => {
    const xml = dmn(table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: oneRule(['-'], ['"unclosed']) }));
    expect(await problemOn(xml, 'LiteralExpression_d_1_1')).toMatch(
      /^Expected the output entry of rule DecisionRule_d_1 \(column 1\) to be a valid FEEL expression, but/,
    );
  });

  it('in a literal expression', async () => {
    const xml = dmn(literal({ id: 'l', expression: 'if x then' }));
    expect(await problemOn(xml, 'LiteralExpression_l')).toMatch(
      /^Expected the literal expression of decision l to be a valid FEEL expression, but/,
    );
  });

  it('in a default output entry and in output values', async () => {
    const xml = dmn(
      table({
        id: 'd',
        inputs: ['x'],
        outputs: [{ name: 'o', default: '1 +', values: '"a",' }],
        rules: oneRule(['-'], ['"a"']),
      }),
    );
    const found = await problems(xml);
    expect(found.map((p) => [p.elementId, p.line])).toEqual([
      ['Output_d_1', lineOf(xml, 'id="Output_d_1"')],
      ['LiteralExpression_d_default_1', lineOf(xml, 'id="LiteralExpression_d_default_1"')],
    ]);
  });

  it('reports every bad cell, not only the first', async () => {
    const xml = dmn(
      table({
        id: 'd',
        inputs: ['a', 'b'],
        outputs: ['o'],
        rules: [
          [['< ', '-'], ['1']],
          [['-', '(1..'], ['2 *']],
        ],
      }),
    );
    expect((await problems(xml)).map((p) => p.elementId)).toEqual([
      'UnaryTests_d_1_1',
      'UnaryTests_d_2_2',
      'LiteralExpression_d_2_1',
    ]);
  });
});

describe('table structure', () => {
  it('refuses an unknown hit policy', async () => {
    const xml = dmn(table({ id: 'd', hitPolicy: 'LAST', inputs: ['x'], outputs: ['o'], rules: [] }));
    expect(await problemOn(xml, 'DecisionTable_d')).toBe(
      'Expected the hit policy of DecisionTable_d to be one of UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER, OUTPUT ORDER, but found "LAST"',
    );
  });

  it('refuses an unknown aggregation, and an aggregation outside COLLECT', async () => {
    const unknown = dmn(
      table({ id: 'd', hitPolicy: 'COLLECT', aggregation: 'AVG', inputs: ['x'], outputs: ['o'], rules: [] }),
    );
    expect(await problemOn(unknown, 'DecisionTable_d')).toBe(
      'Expected the aggregation of DecisionTable_d to be one of SUM, MIN, MAX, COUNT, but found "AVG"',
    );
    const misplaced = dmn(
      table({ id: 'd', hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['x'], outputs: ['o'], rules: [] }),
    );
    expect(await problemOn(misplaced, 'DecisionTable_d')).toBe(
      'Expected an aggregation only with hit policy COLLECT, but DecisionTable_d has FIRST with SUM',
    );
  });

  it('refuses COLLECT with an aggregation over several outputs', async () => {
    const xml = dmn(
      table({ id: 'd', hitPolicy: 'COLLECT', aggregation: 'SUM', inputs: ['x'], outputs: ['a', 'b'], rules: [] }),
    );
    expect(await problemOn(xml, 'DecisionTable_d')).toMatch(
      /^Expected one output for COLLECT SUM, but DecisionTable_d has 2/,
    );
  });

  it('refuses an output without a name in a table with several outputs, and repeated names', async () => {
    const unnamed = dmn(table({ id: 'd', inputs: ['x'], outputs: ['a', { label: 'Second' }], rules: [] }));
    expect(await problemOn(unnamed, 'Output_d_2')).toBe(
      'Expected output Output_d_2 (label "Second") to have a name, because DecisionTable_d has several outputs',
    );
    const repeated = dmn(table({ id: 'd', inputs: ['x'], outputs: ['a', 'a'], rules: [] }));
    expect(await problemOn(repeated, 'Output_d_2')).toBe(
      'Expected unique output names in DecisionTable_d, but "a" repeats',
    );
    // while a single output needs no name
    expect(
      (await compileDmn(dmn(table({ id: 'd', inputs: ['x'], outputs: [{ label: 'Only' }], rules: [] })))).problems,
    ).toEqual([]);
  });

  it('refuses a rule whose cells do not fit the columns', async () => {
    const xml = dmn(table({ id: 'd', inputs: ['x', 'y'], outputs: ['o'], rules: oneRule(['-'], ['1']) }));
    expect(await problemOn(xml, 'DecisionRule_d_1')).toBe(
      'Expected rule DecisionRule_d_1 to have 2 input and 1 output entries like the columns of DecisionTable_d, but it has 1 and 1',
    );
  });

  it('refuses PRIORITY and OUTPUT ORDER without output values to rank by, or with values that are not literals', async () => {
    const bare = dmn(table({ id: 'd', hitPolicy: 'PRIORITY', inputs: ['x'], outputs: ['o'], rules: [] }));
    expect(await problemOn(bare, 'DecisionTable_d')).toMatch(
      /^Expected output values .* hit policy PRIORITY ranks results by them/,
    );
    const computed = dmn(
      table({ id: 'd', hitPolicy: 'OUTPUT ORDER', inputs: ['x'], outputs: [{ name: 'o', values: '< 5' }], rules: [] }),
    );
    const found = await problems(computed);
    expect(found.map((p) => p.elementId)).toEqual(['DecisionTable_d', 'Output_d_1']);
    expect(found[1]!.message).toBe(
      'Expected the output values of Output_d_1 to be a list of literals like "high","low", but found "< 5"',
    );
  });

  it('refuses an empty input expression and an empty literal expression', async () => {
    expect(await problemOn(dmn(table({ id: 'd', inputs: [''], outputs: ['o'], rules: [] })), 'Input_d_1')).toBe(
      'Expected the input expression of Input_d_1 (column 1 of DecisionTable_d) to be set, but it is empty',
    );
    expect(await problemOn(dmn(literal({ id: 'l', expression: '' })), 'LiteralExpression_l')).toBe(
      'Expected the literal expression of decision l to be set, but it is empty',
    );
  });
});

describe('the requirements graph', () => {
  it('refuses a required decision that does not exist, or that is input data', async () => {
    const xml = dmn(literal({ id: 'a', expression: '1', requires: ['ghost'] }));
    expect(await problemOn(xml, 'InformationRequirement_a_1')).toBe(
      'Expected decision a to require an existing decision, but "ghost" is no decision of this document',
    );
    const input = dmn(literal({ id: 'a', expression: '1', requires: ['In'] }), '  <inputData id="In" name="In" />\n');
    expect(await problemOn(input, 'InformationRequirement_a_1')).toMatch(/"In" is input data, not a decision$/);
  });

  it('refuses a cycle, naming its path, and a decision that requires itself', async () => {
    const cycle = dmn(
      literal({ id: 'a', expression: 'c', requires: ['c'] }),
      literal({ id: 'b', expression: 'a', requires: ['a'] }),
      literal({ id: 'c', expression: 'b', requires: ['b'] }),
    );
    expect(await problemOn(cycle, 'a')).toBe(
      'Expected the decision requirements to form no cycle, but a -> c -> b -> a requires itself',
    );
    const self = dmn(literal({ id: 'a', expression: '1', requires: ['a'] }));
    expect(await problemOn(self, 'a')).toBe(
      'Expected the decision requirements to form no cycle, but a -> a requires itself',
    );
  });

  it('refuses requirements into other documents and on business knowledge', async () => {
    const external = dmn(
      literal({ id: 'a', expression: '1' }).replace(
        '<literalExpression',
        '<informationRequirement id="IR_x">\n      <requiredDecision href="other.dmn#b" />\n    </informationRequirement>\n    <literalExpression',
      ),
    );
    expect(await problemOn(external, 'IR_x')).toBe(
      'Expected the required decision of a to be in the same document ("#id"), but found "other.dmn#b"',
    );
    const knowledge = dmn(
      literal({ id: 'a', expression: '1' }).replace(
        '<literalExpression',
        '<knowledgeRequirement id="KR_x">\n      <requiredKnowledge href="#Bkm" />\n    </knowledgeRequirement>\n    <literalExpression',
      ),
    );
    expect(await problemOn(knowledge, 'KR_x')).toMatch(
      /requires business knowledge "#Bkm"; business knowledge models are not supported$/,
    );
  });
});

describe('what Baton does not evaluate is refused, not skipped', () => {
  it.each([
    [
      'a business knowledge model',
      '  <businessKnowledgeModel id="Bkm_1" name="Fee" />\n',
      'Bkm_1',
      /business knowledge models are not supported/,
    ],
    [
      'a decision service',
      '  <decisionService id="Service_1" name="S" />\n',
      'Service_1',
      /decision services are not supported/,
    ],
    [
      'a boxed context',
      '  <decision id="Ctx" name="Ctx">\n    <context id="Context_1" />\n  </decision>\n',
      'Ctx',
      /but it is a boxed context$/,
    ],
    ['a decision without logic', '  <decision id="Empty" name="Empty" />\n', 'Empty', /but it has no logic$/],
  ])('%s', async (_what, element, elementId, message) => {
    const xml = dmn(literal({ id: 'ok', expression: '1' }), element);
    expect(await problemOn(xml, elementId)).toMatch(message);
  });

  it('an expression language other than FEEL', async () => {
    const xml = dmn(
      table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: oneRule(['-'], ['1']) }).replace(
        '<inputExpression id="InputExpression_d_1"',
        '<inputExpression id="InputExpression_d_1" expressionLanguage="juel"',
      ),
    );
    expect(await problemOn(xml, 'Input_d_1')).toBe(
      'Expected FEEL as the expression language of Input_d_1, but found "juel"',
    );
  });

  it("Camunda 7's input variable, which Camunda 8 removed", async () => {
    const xml = dmn(
      table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: [] }).replace(
        '<input id="Input_d_1"',
        '<input id="Input_d_1" camunda:inputVariable="value"',
      ),
    ).replace('<definitions ', '<definitions xmlns:camunda="http://camunda.org/schema/1.0/dmn" ');
    expect(await problemOn(xml, 'Input_d_1')).toMatch(
      /^Expected no camunda:inputVariable on Input_d_1 \(Camunda 8 removed it\), but found "value"/,
    );
  });

  it('an unknown attribute or element of the DMN namespace', async () => {
    const xml = dmn(
      table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: [] }).replace(
        '<decisionTable id="DecisionTable_d"',
        '<decisionTable id="DecisionTable_d" speed="fast"',
      ),
    );
    expect(await problemOn(xml, 'DecisionTable_d')).toBe(
      'Expected only known attributes, but found speed on dmn:DecisionTable DecisionTable_d',
    );
  });
});

describe('hostile and foreign documents', () => {
  it('refuses a DTD before any parser reads it', async () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x "xx">]>\n<definitions/>';
    expect(await problems(xml)).toEqual([{ elementId: null, line: 2, message: expect.stringMatching(/DOCTYPE/) }]);
  });

  it('answers an empty body, broken XML, a BPMN file and an older DMN version with one clear problem', async () => {
    expect((await problems('  '))[0]!.message).toBe('Expected a DMN XML document, but the body is empty');
    expect((await problems('<definitions>\n<decision>\n</definitions>'))[0]).toMatchObject({ line: 3 });
    expect(
      (await problems('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>'))[0]!.message,
    ).toMatch(/^Expected a DMN 1\.3 <definitions> document, but it could not be read/);
    const dmn12 = dmn(literal({ id: 'a', expression: '1' })).replace(
      'https://www.omg.org/spec/DMN/20191111/MODEL/',
      'http://www.omg.org/spec/DMN/20180521/MODEL/',
    );
    expect((await problems(dmn12))[0]!.message).toMatch(/^Expected a DMN 1\.3 document .* but it is DMN 1\.2/);
  });

  it('refuses repeated ids and a document without decisions', async () => {
    const twice = dmn(literal({ id: 'a', expression: '1' }), literal({ id: 'a', expression: '2' }));
    expect((await problems(twice)).some((p) => p.elementId === 'a' && /used more than once/.test(p.message))).toBe(
      true,
    );
    expect((await problems(dmn('  <inputData id="In" name="In" />\n')))[0]!.message).toBe(
      'Expected at least one decision in the document, but found none',
    );
  });
});
