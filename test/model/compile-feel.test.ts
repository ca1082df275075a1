/**
 * FEEL at deploy time, as Camunda 8 deploys it: Camunda's dialect and built-in names parse (`get or
 * else`, backtick names); a call of a function that does not exist deploys with a warning (it fails
 * when evaluated); a syntax error is still refused.
 */
import { describe, expect, it } from 'vitest';
import { around, compileProcess, lineOf, only, processXml } from './bpmn-helpers.js';
import { compileBpmn } from '../../engine/src/model/compile.js';

const scriptTask = (expression: string) =>
  `<bpmn:scriptTask id="T"><bpmn:extensionElements><zeebe:script expression="${expression.replace(/"/g, '&quot;')}" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>`;

describe('FEEL at deploy time', () => {
  it.each(['=get or else(x, 5)', '=`order total` + 1', '=is defined(x) and is blank(y)', '=date and time(now(), "Z")'])(
    'deploys %s without problem or warning',
    async (expression) => {
      const result = await compileProcess(around('T', scriptTask(expression)));
      only(result);
      expect(result.warnings).toEqual([]);
    },
  );

  it('deploys a call of a function that does not exist, with a warning naming it and its line', async () => {
    // given a script calling frobnicate(), and a function defined inside another expression
    const xml = processXml(around('T', scriptTask('=frobnicate(1) + {f: function(n) n}.f(2)')));
    // when compiled
    const result = await compileBpmn(xml);
    // then it deploys, and the warning names the function, the element and its line
    only(result);
    expect(result.warnings).toEqual([
      {
        elementId: 'T',
        line: lineOf(xml, '<bpmn:scriptTask id="T">'),
        message: expect.stringMatching(/frobnicate\(\) is neither a FEEL built-in nor defined in the expression/),
      },
    ]);
  });

  it('still refuses a syntax error', async () => {
    const result = await compileProcess(around('T', scriptTask('=1 +')));
    expect(result.processes).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        elementId: 'T',
        message: expect.stringMatching(/to be valid FEEL, but the expression ends early/),
      }),
    ]);
  });
});
