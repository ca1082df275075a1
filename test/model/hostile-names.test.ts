/**
 * Issue 9: names that reach JavaScript's object machinery, control characters and deep nesting are
 * refused at deploy, each problem naming the element and its line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import { MAX_XML_DEPTH } from '../../engine/src/model/xml-limits.js';
import { compileProcess, lineOf, only, processXml } from './bpmn-helpers.js';

/** A script task `T` between a start and an end event, with `extensions` in its extension elements. */
function scriptTask(extensions: string, attrs = ''): string {
  return `<bpmn:startEvent id="S" />
<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T" />
<bpmn:scriptTask id="T"${attrs}>
<bpmn:extensionElements><zeebe:script expression="=1" resultVariable="r" />${extensions}</bpmn:extensionElements>
</bpmn:scriptTask>
<bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E" />
<bpmn:endEvent id="E" />`;
}

const output = (target: string) =>
  `<zeebe:ioMapping><zeebe:output source="=&quot;x&quot;" target="${target}" /></zeebe:ioMapping>`;
const input = (target: string) =>
  `<zeebe:ioMapping><zeebe:input source="=&quot;x&quot;" target="${target}" /></zeebe:ioMapping>`;

describe('mapping targets and variable names', () => {
  it.each([
    ['x.__proto__.polluted', output],
    ['__proto__', output],
    ['x.constructor.prototype.polluted', output],
    ['constructor', output],
    ['a.prototype', output],
    ['__proto__.polluted', input],
    ['y.constructor', input],
  ])('refuses the target %s with the element id and line', async (target, mapping) => {
    // given a task whose mapping writes to a reserved name
    const xml = processXml(scriptTask(mapping(target)));
    // when compiled
    const result = await compileBpmn(xml);
    // then it is refused on the task, at the task's line, naming the reserved segment
    expect(result.processes).toEqual([]);
    expect(result.problems).toEqual([
      {
        elementId: 'T',
        line: lineOf(xml, '<bpmn:scriptTask id="T"'),
        message: expect.stringMatching(/reserved name "(__proto__|constructor|prototype)"/),
      },
    ]);
  });

  it.each([
    ['a..b', /empty segment/],
    ['a.', /empty segment/],
    [Array.from({ length: 17 }, (_, i) => `s${i}`).join('.'), /at most 16 segments, but it has 17/],
  ])('refuses the malformed target %s', async (target, message) => {
    const result = await compileProcess(scriptTask(output(target)));
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it('accepts ordinary names that merely contain a reserved word', async () => {
    // given targets like "constructorName" and "order.prototypeId"
    const xml = scriptTask(
      '<zeebe:ioMapping><zeebe:output source="=1" target="constructorName" /><zeebe:output source="=2" target="order.prototypeId" /></zeebe:ioMapping>',
    );
    // then the model compiles
    expect(only(await compileProcess(xml)).elements['T']!.outputs).toHaveLength(2);
  });

  it('refuses a reserved script result variable, input element and output collection', async () => {
    // given a script with resultVariable "__proto__" and a multi-instance with reserved names
    const xml = `<bpmn:startEvent id="S" />
<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T" />
<bpmn:scriptTask id="T"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="__proto__" /></bpmn:extensionElements></bpmn:scriptTask>
<bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="M" />
<bpmn:scriptTask id="M"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="r" /></bpmn:extensionElements>
<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="constructor" outputCollection="prototype" outputElement="=r" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
</bpmn:scriptTask>
<bpmn:sequenceFlow id="F3" sourceRef="M" targetRef="E" />
<bpmn:endEvent id="E" />`;
    // when compiled, then each name is refused on its element
    const { problems } = await compileProcess(xml);
    expect(problems.map((p) => [p.elementId, p.message])).toEqual([
      ['T', expect.stringMatching(/result variable of T .* "__proto__" is reserved/)],
      ['M', expect.stringMatching(/input element of M .* "constructor" is reserved/)],
      ['M', expect.stringMatching(/output collection of M .* "prototype" is reserved/)],
    ]);
  });
});

describe('ids', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses an element named %s instead of losing or confusing it',
    async (id) => {
      // given a task whose id is a name every JavaScript object has
      const xml = processXml(
        `<bpmn:startEvent id="S" /><bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="${id}" />
<bpmn:manualTask id="${id}" />
<bpmn:sequenceFlow id="F2" sourceRef="${id}" targetRef="E" /><bpmn:endEvent id="E" />`,
      );
      // when compiled, then the id is refused on that element and line, and nothing else is reported
      const { problems } = await compileBpmn(xml);
      expect(problems).toEqual([
        { elementId: id, line: lineOf(xml, `<bpmn:manualTask id="${id}"`), message: expect.stringMatching(/rename/) },
      ]);
    },
  );

  it('refuses a reserved flow id and process id', async () => {
    const xml = processXml(
      '<bpmn:startEvent id="S" /><bpmn:sequenceFlow id="valueOf" sourceRef="S" targetRef="E" /><bpmn:endEvent id="E" />',
    ).replace('id="P"', 'id="prototype"');
    const { problems } = await compileBpmn(xml);
    expect(problems.map((p) => p.elementId).sort()).toEqual(['prototype', 'valueOf']);
  });

  it('keeps task headers named __proto__ as plain headers', async () => {
    // given a job with a header whose key is __proto__
    const model = only(
      await compileProcess(
        `<bpmn:startEvent id="S" /><bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="J" />
<bpmn:serviceTask id="J"><bpmn:extensionElements><zeebe:taskDefinition type="t" /><zeebe:taskHeaders><zeebe:header key="__proto__" value="v" /><zeebe:header key="k" value="w" /></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="F2" sourceRef="J" targetRef="E" /><bpmn:endEvent id="E" />`,
      ),
    );
    // then both headers are own entries and survive a JSON round trip
    const headers = model.elements['J']!.job!.headers;
    expect(Object.keys(headers)).toEqual(['__proto__', 'k']);
    expect(JSON.parse(JSON.stringify(headers))).toEqual(JSON.parse('{"__proto__": "v", "k": "w"}'));
    expect(({} as Record<string, unknown>).v).toBeUndefined();
  });
});

describe('task headers under hostile keys (fast-check)', () => {
  it('keeps every header key, whatever its name, as an own key; no prototype changes', async () => {
    const keys = fc.uniqueArray(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'polluted', 'k'), {
      maxLength: 4,
    });
    await fc.assert(
      fc.asyncProperty(keys, fc.string({ maxLength: 3 }), async (names, text) => {
        // given a job whose task headers have hostile keys
        const value = text.replace(/[^a-z]/gi, 'x');
        const headers = names.map((k) => `<zeebe:header key="${k}" value="${value}" />`).join('');
        const xml = `<bpmn:startEvent id="S" /><bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="J" />
<bpmn:serviceTask id="J"><bpmn:extensionElements><zeebe:taskDefinition type="t" /><zeebe:taskHeaders>${headers}</zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="F2" sourceRef="J" targetRef="E" /><bpmn:endEvent id="E" />`;
        // when compiled
        const compiled = only(await compileProcess(xml)).elements['J']!.job!.headers;
        // then the headers are exactly the keys given, each with its value, and Object.prototype is clean
        expect(Object.entries(compiled)).toEqual(names.map((k) => [k, value]));
        expect(Object.getPrototypeOf(compiled)).toBe(Object.prototype);
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
      }),
      { numRuns: 100, seed: 9 },
    );
  });
});

describe('control characters', () => {
  it.each([
    ['&#0;', 'U+0000 (written &#0;)'],
    ['&#x1;', 'U+0001 (written &#x1;)'],
    ['&#127;', 'U+007F (written &#127;)'],
    ['&#x85;', 'U+0085 (written &#x85;)'],
    ['\u0007', 'U+0007'],
  ])('refuses %j in a name, naming the line', async (char, shown) => {
    // given a task whose name holds a control character, on line 3 of the process
    const xml = processXml(
      `<bpmn:startEvent id="S" />\n<bpmn:endEvent id="E" />\n<bpmn:manualTask id="T" name="a${char}b" />`,
    );
    // when compiled
    const { problems, processes } = await compileBpmn(xml);
    // then it is refused at that line and nothing is compiled
    expect(processes).toEqual([]);
    expect(problems).toEqual([
      { elementId: null, line: lineOf(xml, 'name="a'), message: expect.stringContaining(`holds ${shown}`) },
    ]);
  });

  it('accepts line breaks and tabs written as references (the modeler writes &#10; in labels)', async () => {
    const model = only(await compileProcess('<bpmn:startEvent id="S" name="two&#10;lines&#9;tab&#13;" />'));
    expect(model.elements['S']!.name).toBe('two\nlines\ttab\r');
  });
});

describe('deep nesting', () => {
  /** `depth` sub-processes nested in one another, each holding a start event and the next one. */
  function nested(depth: number): string {
    let inner = '';
    for (let i = 1; i <= depth; i++)
      inner = `<bpmn:subProcess id="sp${i}"><bpmn:startEvent id="s${i}" />${inner}</bpmn:subProcess>`;
    return processXml(`<bpmn:startEvent id="S" />${inner}`);
  }

  it('refuses 20,000 nested sub-processes with a clear problem instead of overflowing the stack', async () => {
    // given the attack's document: 20,000 nested sub-processes (about 950 KB)
    const xml = nested(20_000);
    expect(xml.length).toBeGreaterThan(900_000);
    // when compiled
    const started = Date.now();
    const { problems, processes } = await compileBpmn(xml);
    // then one problem names the limit, the first element past it (the start event inside the
    // 126th sub-process, at level 129) and its line, within a second
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(processes).toEqual([]);
    expect(problems).toEqual([
      {
        elementId: `s${20_000 - (MAX_XML_DEPTH - 3)}`,
        line: lineOf(xml, '<bpmn:subProcess'),
        message: `Expected XML elements nested at most ${MAX_XML_DEPTH} levels deep, but <bpmn:startEvent> at line ${lineOf(xml, '<bpmn:subProcess')} is nested deeper`,
      },
    ]);
  });

  it('compiles a document nested exactly to the limit, and its innermost start event is found', async () => {
    // given definitions > process > sub-processes down to the limit (the innermost start event is the last level)
    const depth = MAX_XML_DEPTH - 3;
    const xml = nested(depth);
    // when compiled, then it is accepted with every scope in place
    const model = only(await compileBpmn(xml));
    expect(model.elements['s1']!.scope).toBe('sp1');
    expect(model.elements['sp1']!.scope).toBe('sp2');
    expect(model.elements[`sp${depth}`]!.scope).toBe('P');
    expect(model.elements[`sp${depth}`]!.startEvents).toEqual([`s${depth}`]);
    // and one more level is refused
    expect((await compileBpmn(nested(MAX_XML_DEPTH - 2))).problems[0]!.message).toMatch(/nested at most/);
  });

  it('does not count comments, CDATA or ">" inside attribute values as nesting', async () => {
    const xml = processXml(
      `<!-- <a><b><c> -->\n<bpmn:startEvent id="S" name="a > b"><bpmn:documentation><![CDATA[<x><y>]]></bpmn:documentation></bpmn:startEvent>`,
    ).replace('<bpmn:process', '<?pi <z> ?>\n<bpmn:process');
    expect(only(await compileBpmn(xml)).elements['S']!.name).toBe('a > b');
  });
});
