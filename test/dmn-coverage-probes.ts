/**
 * One probe per row of docs/dmn-coverage.md, for test/dmn-coverage.test.ts: a document that uses
 * the feature, and the evidence the row's verdict needs — for a supported row, what evaluating it
 * answers; for a rejected row, what the problem says; an ignored row's probe must compile (and,
 * with `run`, evaluate as if the feature were absent).
 */
import { dmn, literal, table, type TableSpec } from './decisions/dmn-helpers.js';

export interface Probe {
  readonly xml: string;
  /** Evaluate `decision` with `variables`: the answer's result must be `result`. */
  readonly run?: { readonly decision: string; readonly variables: Record<string, unknown>; readonly result: unknown };
  /** Rejected rows: some problem's message matches this. */
  readonly problem?: RegExp;
}

/** A one-table probe `d` over input `x` with output `o`, evaluated with `x`. */
function tableProbe(spec: Omit<TableSpec, 'id'>, x: unknown, result: unknown): Probe {
  return { xml: dmn(table({ id: 'd', ...spec })), run: { decision: 'd', variables: { x }, result } };
}

/** Three rules; 1, 2 and 3 all match x = 5 with outputs 1, 2, 3. */
function multiHit(hitPolicy: string, result: unknown, aggregation?: string): Probe {
  const rules = [
    [['> 0'], ['3']],
    [['< 10'], ['1']],
    [['[5..5]'], ['2']],
  ] as const;
  return tableProbe(
    { hitPolicy, ...(aggregation ? { aggregation } : {}), inputs: ['x'], outputs: ['o'], rules },
    5,
    result,
  );
}

/** A document whose decision `d` holds `logic` instead of a table. */
function logicProbe(logic: string, problem: RegExp): Probe {
  return { xml: dmn(`  <decision id="d" name="d">\n${logic}  </decision>\n`), problem };
}

/** A literal decision `ok` beside `extra` top-level XML. */
function besideProbe(extra: string, problem?: RegExp): Probe {
  return { xml: dmn(literal({ id: 'ok', expression: '1' }), extra), ...(problem ? { problem } : {}) };
}

const ranked = { name: 'o', values: '"high","medium","low"' };
const rankedRules = [
  [['-'], ['"low"']],
  [['-'], ['"high"']],
  [['< 0'], ['"medium"']],
  [['-'], ['"medium"']],
] as const;

export const PROBES: Readonly<Record<string, Probe>> = {
  'decision table': tableProbe({ inputs: ['x'], outputs: ['o'], rules: [[['"a"'], ['1']]] }, 'a', 1),
  'literal expression': {
    xml: dmn(literal({ id: 'l', expression: 'n * 2' })),
    run: { decision: 'l', variables: { n: 4 }, result: 8 },
  },
  'boxed context': logicProbe('    <context id="C_1" />\n', /but it is a boxed context$/),
  relation: logicProbe('    <relation id="R_1" />\n', /but it is a relation$/),
  'boxed list': logicProbe('    <list id="L_1" />\n', /but it is a boxed list$/),
  invocation: logicProbe('    <invocation id="I_1" />\n', /but it is a boxed invocation$/),
  'function definition': logicProbe('    <functionDefinition id="F_1" />\n', /but it is a function definition$/),
  'decision without logic': logicProbe('', /but it has no logic$/),
  'hit policy UNIQUE': tableProbe(
    {
      inputs: ['x'],
      outputs: ['o'],
      rules: [
        [['< 5'], ['1']],
        [['>= 5'], ['2']],
      ],
    },
    7,
    2,
  ),
  'hit policy FIRST': multiHit('FIRST', 3),
  'hit policy PRIORITY': tableProbe(
    { hitPolicy: 'PRIORITY', inputs: ['x'], outputs: [ranked], rules: rankedRules },
    1,
    'high',
  ),
  'hit policy ANY': tableProbe(
    {
      hitPolicy: 'ANY',
      inputs: ['x'],
      outputs: ['o'],
      rules: [
        [['> 0'], ['"y"']],
        [['< 9'], ['"y"']],
      ],
    },
    5,
    'y',
  ),
  'hit policy COLLECT': multiHit('COLLECT', [3, 1, 2]),
  'COLLECT SUM': multiHit('COLLECT', 6, 'SUM'),
  'COLLECT MIN': multiHit('COLLECT', 1, 'MIN'),
  'COLLECT MAX': multiHit('COLLECT', 3, 'MAX'),
  'COLLECT COUNT': multiHit('COLLECT', 3, 'COUNT'),
  'hit policy RULE ORDER': multiHit('RULE ORDER', [3, 1, 2]),
  'hit policy OUTPUT ORDER': tableProbe(
    { hitPolicy: 'OUTPUT ORDER', inputs: ['x'], outputs: [ranked], rules: rankedRules },
    1,
    ['high', 'medium', 'low'],
  ),
  'unknown hit policy or aggregation': {
    xml: dmn(table({ id: 'd', hitPolicy: 'LAST', inputs: ['x'], outputs: ['o'], rules: [] })),
    problem: /hit policy of DecisionTable_d to be one of/,
  },
  'several outputs': tableProbe({ inputs: ['x'], outputs: ['a', 'b'], rules: [[['-'], ['1', '"two"']]] }, 0, {
    a: 1,
    b: 'two',
  }),
  'output without a name in a multi-output table': {
    xml: dmn(table({ id: 'd', inputs: ['x'], outputs: ['a', { label: 'B' }], rules: [] })),
    problem: /to have a name, because DecisionTable_d has several outputs$/,
  },
  'no rule matches': tableProbe(
    { hitPolicy: 'COLLECT', inputs: ['x'], outputs: ['o'], rules: [[['> 100'], ['1']]] },
    5,
    null,
  ),
  'default output entry': tableProbe(
    { inputs: ['x'], outputs: [{ name: 'o', default: '"none"' }], rules: [[['1'], ['"one"']]] },
    2,
    'none',
  ),
  'output values': tableProbe(
    { hitPolicy: 'PRIORITY', inputs: ['x'], outputs: [ranked], rules: rankedRules },
    -1,
    'high',
  ),
  'input values': {
    xml: dmn(
      table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: [[['-'], ['1']]] }).replace(
        '        </inputExpression>\n',
        '        </inputExpression>\n        <inputValues id="InputValues_d">\n          <text>"a","b"</text>\n        </inputValues>\n',
      ),
    ),
    run: { decision: 'd', variables: { x: 'z' }, result: 1 },
  },
  'input and output typeRef': tableProbe(
    { inputs: [{ expression: 'x', typeRef: 'number' }], outputs: ['o'], rules: [[['-'], ['"text"']]] },
    'not a number',
    'text',
  ),
  'decision variable typeRef': {
    xml: dmn(literal({ id: 'l', variable: 'l', typeRef: 'string', expression: 'string(n)' })),
    run: { decision: 'l', variables: { n: 3 }, result: '3' },
  },
  'rule annotation': {
    xml: dmn(
      table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: [[['-'], ['1']]] }).replace(
        '<rule id="DecisionRule_d_1">\n',
        '<rule id="DecisionRule_d_1">\n        <description>why</description>\n',
      ),
    ),
    run: { decision: 'd', variables: {}, result: 1 },
  },
  'empty input entry or `-`': tableProbe({ inputs: ['x', 'x'], outputs: ['o'], rules: [[['', '-'], ['1']]] }, null, 1),
  'comparison (`< 10`, `>= date("2024-01-01")`, `!= "x"`)': tableProbe(
    {
      hitPolicy: 'COLLECT',
      inputs: ['x', 'date(x)'],
      outputs: ['o'],
      rules: [
        [['!= "x"', '>= date("2024-01-01")'], ['1']],
        [['< 10', '-'], ['2']],
      ],
    },
    '2024-05-01',
    [1],
  ),
  'interval (`[1..10)`, `]a..b]`)': tableProbe(
    {
      hitPolicy: 'COLLECT',
      inputs: ['x'],
      outputs: ['o'],
      rules: [
        [['[1..10)'], ['1']],
        [[']1..10]'], ['2']],
        [['[10..1]'], ['3']],
      ],
    },
    10,
    [2],
  ),
  'list of tests (`"a","b"`)': tableProbe({ inputs: ['x'], outputs: ['o'], rules: [[['"a","b"'], ['1']]] }, 'b', 1),
  '`not(…)`': tableProbe(
    {
      hitPolicy: 'COLLECT',
      inputs: ['x'],
      outputs: ['o'],
      rules: [
        [['not("a","b")'], ['1']],
        [['not(< 5)'], ['2']],
      ],
    },
    'c',
    [1],
  ),
  '`?` expression (`? > x`, `contains(?, "x")`)': tableProbe(
    { inputs: ['x'], outputs: ['o'], rules: [[['contains(?, "rush")'], ['1']]] },
    'a rush order',
    1,
  ),
  'expression test (`isVip`, `allowed`, `date(x)`)': {
    xml: dmn(
      table({
        id: 'd',
        hitPolicy: 'COLLECT',
        inputs: ['x'],
        outputs: ['o'],
        rules: [
          [['allowed'], ['1']],
          [['isVip'], ['2']],
          [['date("2024-01-01")'], ['3']],
        ],
      }),
    ),
    run: { decision: 'd', variables: { x: 'b', allowed: ['a', 'b'], isVip: false }, result: [1] },
  },
  'unparsable FEEL in any cell': {
    xml: dmn(table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: [[['[1..'], ['1']]] })),
    problem: /to be valid FEEL unary tests, but/,
  },
  'required decision': {
    xml: dmn(
      literal({ id: 'base', variable: 'base', expression: '40' }),
      literal({ id: 'l', expression: 'base + 2', requires: ['base'] }),
    ),
    run: { decision: 'l', variables: {}, result: 42 },
  },
  'required decision that does not exist': {
    xml: dmn(literal({ id: 'l', expression: '1', requires: ['ghost'] })),
    problem: /"ghost" is no decision of this document$/,
  },
  'cycle of required decisions': {
    xml: dmn(
      literal({ id: 'a', expression: 'b', requires: ['b'] }),
      literal({ id: 'b', expression: 'a', requires: ['a'] }),
    ),
    problem: /form no cycle, but a -> b -> a requires itself$/,
  },
  'required input (input data)': {
    xml: dmn(
      literal({ id: 'l', expression: 'age' }).replace(
        '<literalExpression',
        '<informationRequirement id="IR_in">\n      <requiredInput href="#In" />\n    </informationRequirement>\n    <literalExpression',
      ),
      '  <inputData id="In" name="age" />\n',
    ),
    run: { decision: 'l', variables: { age: 30 }, result: 30 },
  },
  'knowledge source and authority requirement': {
    xml: dmn(
      literal({ id: 'l', expression: '1' }).replace(
        '<literalExpression',
        '<authorityRequirement id="AR_1">\n      <requiredAuthority href="#KS" />\n    </authorityRequirement>\n    <literalExpression',
      ),
      '  <knowledgeSource id="KS" name="Policy" />\n',
    ),
    run: { decision: 'l', variables: {}, result: 1 },
  },
  'business knowledge model': besideProbe(
    '  <businessKnowledgeModel id="Bkm" name="fee" />\n',
    /business knowledge models are not supported$/,
  ),
  'decision service': besideProbe(
    '  <decisionService id="Svc" name="svc" />\n',
    /decision services are not supported$/,
  ),
  import: {
    xml: dmn(literal({ id: 'l', expression: '1' })).replace(
      '  <decision',
      '  <import namespace="http://other" name="other" importType="https://www.omg.org/spec/DMN/20191111/MODEL/" />\n  <decision',
    ),
    problem: /imports are not supported$/,
  },
  'item definition': besideProbe(
    '  <itemDefinition id="Item_1" name="amount">\n    <typeRef>number</typeRef>\n  </itemDefinition>\n',
  ),
  'text annotation and association': besideProbe(
    '  <textAnnotation id="TA">\n    <text>note</text>\n  </textAnnotation>\n  <association id="As">\n    <sourceRef href="#ok" />\n    <targetRef href="#TA" />\n  </association>\n',
  ),
  'DMNDI (the diagram)': {
    xml: dmn(literal({ id: 'l', expression: '7' })),
    run: { decision: 'l', variables: {}, result: 7 },
  },
  '`zeebe:versionTag`': {
    xml: dmn(
      literal({ id: 'l', expression: '1' }).replace(
        '<literalExpression',
        '<extensionElements>\n      <zeebe:versionTag value="v3" />\n    </extensionElements>\n    <literalExpression',
      ),
    ),
    run: { decision: 'l', variables: {}, result: 1 },
  },
  '`camunda:inputVariable` (Camunda 7)': {
    xml: dmn(
      table({ id: 'd', inputs: ['x'], outputs: ['o'], rules: [] }).replace(
        '<input id="Input_d_1"',
        '<input id="Input_d_1" camunda:inputVariable="v"',
      ),
    ).replace('<definitions ', '<definitions xmlns:camunda="http://camunda.org/schema/1.0/dmn" '),
    problem: /Camunda 8 removed it/,
  },
  'expression language other than FEEL': {
    xml: dmn(
      literal({ id: 'l', expression: '1' }).replace(
        '<literalExpression id="LiteralExpression_l"',
        '<literalExpression id="LiteralExpression_l" expressionLanguage="javascript"',
      ),
    ),
    problem: /^Expected FEEL as the expression language of LiteralExpression_l, but found "javascript"$/,
  },
  'DMN 1.1, 1.2, 1.4 or 1.5 namespace': {
    xml: dmn(literal({ id: 'l', expression: '1' })).replace(
      'https://www.omg.org/spec/DMN/20191111/MODEL/',
      'https://www.omg.org/spec/DMN/20230324/MODEL/',
    ),
    problem: /but it is DMN 1\.5/,
  },
  'DOCTYPE or entity declaration': {
    xml: dmn(literal({ id: 'l', expression: '1' })).replace(
      '<definitions ',
      '<!DOCTYPE definitions [<!ENTITY e "x">]>\n<definitions ',
    ),
    problem: /DTDs and entities are refused$/,
  },
};
