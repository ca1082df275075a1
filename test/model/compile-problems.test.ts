import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import { checkXml } from '../../engine/src/model/xml-check.js';
import { around, compileProcess, lineOf, only, problemsOf, processXml } from './bpmn-helpers.js';

const JOB = (type: string): string =>
  `<bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements>`;

describe('hostile and broken XML', () => {
  it('refuses a billion-laughs document before parsing it', async () => {
    // given an entity bomb: ten levels of ten-fold expansion
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join(
      '\n',
    );
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${entities}\n]>\n<bpmn:definitions>&lol10;</bpmn:definitions>`;
    // when compiled
    const { problems, processes } = await compileBpmn(xml);
    // then one problem refuses the DOCTYPE at its line, and nothing compiles
    expect(processes).toEqual([]);
    expect(problems).toEqual([{ elementId: null, line: 2, message: expect.stringMatching(/DOCTYPE/) }]);
  });

  it('refuses an external entity declaration even without a DOCTYPE keyword first', () => {
    // given an ENTITY declaration, when checked, then it is refused
    expect(checkXml('<a/>\n<!ENTITY x SYSTEM "file:///etc/passwd">')[0]?.message).toMatch(/ENTITY/);
  });

  it('reports the line of a broken tag', async () => {
    // given XML whose task is closed by the wrong tag on line 4
    const xml = processXml('<bpmn:startEvent id="S">\n</bpmn:endEvent>');
    // when compiled, then the problem has that line
    const { problems } = await compileBpmn(xml);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(lineOf(xml, '</bpmn:endEvent>'));
  });

  it('rejects an empty body and a non-BPMN document', async () => {
    expect((await compileBpmn('')).problems).toHaveLength(1);
    const { problems } = await compileBpmn('<foo/>');
    expect(problems[0]!.message).toMatch(/^Expected a <bpmn:definitions> document/);
  });
});

describe('unsupported content', () => {
  it('rejects an unknown element with its id and line', async () => {
    // given a made-up bpmn element
    const xml = processXml(`${around('T', '<bpmn:task id="T"/>')}\n<bpmn:fooBar id="Foo_1"/>`);
    // when compiled, then it is named with its line
    const [problem] = problemsOf(await compileBpmn(xml), 'Foo_1');
    expect(problem?.line).toBe(lineOf(xml, 'Foo_1'));
    expect(problem?.message).toContain('<bpmn:fooBar> is unknown');
  });

  it('rejects ad-hoc sub-processes, decision calls without a result variable and foreign scripts, all at once; Camunda 7 attributes only warn', async () => {
    // given three elements Baton cannot run and one with a Camunda 7 leftover
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"/>',
        '<bpmn:adHocSubProcess id="AdHoc"/>',
        '<bpmn:businessRuleTask id="Rule"><bpmn:extensionElements><zeebe:calledDecision decisionId="d"/></bpmn:extensionElements></bpmn:businessRuleTask>',
        '<bpmn:scriptTask id="Groovy" scriptFormat="groovy"><bpmn:script>println 1</bpmn:script></bpmn:scriptTask>',
        `<bpmn:serviceTask id="C7" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" camunda:asyncBefore="true">${JOB('x')}</bpmn:serviceTask>`,
      ].join('\n'),
    );
    // then every one of them is reported
    expect(problemsOf(result, 'AdHoc')[0]?.message).toMatch(
      /ad-hoc sub-process AdHoc to contain at least one activity/,
    );
    expect(problemsOf(result, 'Rule')[0]?.message).toMatch(
      /Expected a resultVariable on the zeebe:calledDecision of Rule/,
    );
    expect(problemsOf(result, 'Groovy')[0]?.message).toMatch(/only FEEL/);
    expect(problemsOf(result, 'C7')).toEqual([]);
    expect(result.warnings.find((w) => w.elementId === 'C7')?.message).toMatch(/camunda:asyncBefore/);
  });

  it('rejects a receive task that instantiates and a parallel event gateway', async () => {
    const result = await compileProcess(
      around('R', '<bpmn:receiveTask id="R" instantiate="true" messageRef="M"/>') +
        '\n<bpmn:eventBasedGateway id="G" eventGatewayType="Parallel"/>',
      '<bpmn:message id="M" name="m"><bpmn:extensionElements><zeebe:subscription correlationKey="=k"/></bpmn:extensionElements></bpmn:message>',
    );
    expect(problemsOf(result, 'R')[0]?.message).toMatch(/instantiate/);
    expect(
      problemsOf(result, 'G')
        .map((p) => p.message)
        .join(),
    ).toMatch(/eventGatewayType="Parallel"/);
  });

  it('rejects an event with two event definitions', async () => {
    const result = await compileProcess(
      around(
        'C',
        '<bpmn:intermediateCatchEvent id="C"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:intermediateCatchEvent>',
      ),
      '<bpmn:signal id="Sig" name="s"/>',
    );
    expect(problemsOf(result, 'C')[0]?.message).toMatch(/at most one event definition/);
  });
});

describe('missing settings', () => {
  it('rejects a service task without a job type', async () => {
    // given a service task without zeebe:taskDefinition
    const result = await compileProcess(around('T', '<bpmn:serviceTask id="T"/>'));
    // then it is named
    expect(problemsOf(result, 'T')[0]?.message).toMatch(/^Expected a zeebe:taskDefinition with a type/);
    expect(result.processes).toEqual([]);
  });

  it('rejects message catches without a correlation key, but not message start events', async () => {
    // given a message catch and a message start event on a message without subscription
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"><bpmn:messageEventDefinition messageRef="M"/></bpmn:startEvent>',
        '<bpmn:intermediateCatchEvent id="C"><bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateCatchEvent>',
        '<bpmn:endEvent id="E"/>',
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="C"/><bpmn:sequenceFlow id="F2" sourceRef="C" targetRef="E"/>',
      ].join('\n'),
      '<bpmn:message id="M" name="m"/>',
    );
    // then only the catch event is rejected
    expect(result.problems.map((p) => p.elementId)).toEqual(['C']);
    expect(result.problems[0]!.message).toMatch(/correlationKey/);
  });

  it('rejects timers without a value or with a malformed duration', async () => {
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"/>',
        '<bpmn:intermediateCatchEvent id="T1"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>',
        '<bpmn:intermediateCatchEvent id="T2"><bpmn:timerEventDefinition><bpmn:timeDuration>5 seconds</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T1"/><bpmn:sequenceFlow id="F2" sourceRef="T1" targetRef="T2"/>',
      ].join('\n'),
    );
    expect(problemsOf(result, 'T1')[0]?.message).toMatch(/found none/);
    expect(problemsOf(result, 'T2')[0]?.message).toMatch(/ISO 8601 duration/);
  });

  it('rejects a call activity without processId and a process without start event', async () => {
    const result = await compileProcess('<bpmn:callActivity id="Call"/>');
    expect(problemsOf(result, 'Call')[0]?.message).toMatch(/processId/);
    expect(problemsOf(result, 'P')[0]?.message).toMatch(/at least one start event/);
  });
});

describe('references', () => {
  it('rejects an errorRef that names a task and a messageRef that names nothing', async () => {
    // given an error boundary pointing at a task and a catch event pointing at a missing message
    const result = await compileProcess(
      [
        around('T', '<bpmn:task id="T"/>'),
        '<bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:errorEventDefinition errorRef="T"/></bpmn:boundaryEvent>',
        '<bpmn:endEvent id="BE"/><bpmn:sequenceFlow id="F3" sourceRef="B" targetRef="BE"/>',
        '<bpmn:intermediateCatchEvent id="C"><bpmn:messageEventDefinition messageRef="Nope"/></bpmn:intermediateCatchEvent>',
      ].join('\n'),
    );
    // then both are named, and the boundary does not silently become a catch-all
    expect(problemsOf(result, 'B')[0]?.message).toMatch(/errorRef of B to name a bpmn:Error, but T is a bpmn:Task/);
    expect(problemsOf(result, 'C')[0]?.message).toMatch(
      /messageRef of C to reference an existing element, but "Nope" does not exist/,
    );
  });
});

describe('expressions', () => {
  it('rejects unparsable FEEL with the element id', async () => {
    // given a flow condition "=a +* b" and a script "=1 +"
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"/>',
        '<bpmn:scriptTask id="Sc"><bpmn:extensionElements><zeebe:script expression="=1 +" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>',
        '<bpmn:endEvent id="E"/>',
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Sc"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=a +* b</bpmn:conditionExpression></bpmn:sequenceFlow>',
        '<bpmn:sequenceFlow id="F2" sourceRef="Sc" targetRef="E"/>',
      ].join('\n'),
    );
    // then both are reported as FEEL problems
    expect(problemsOf(result, 'F1')[0]?.message).toMatch(/valid FEEL, but it has a syntax error/);
    expect(problemsOf(result, 'Sc')[0]?.message).toMatch(/valid FEEL, but the expression ends early/);
  });

  it('rejects JUEL and other non-FEEL conditions', async () => {
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"/><bpmn:endEvent id="E"/>',
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="E"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${amount > 100}</bpmn:conditionExpression></bpmn:sequenceFlow>',
      ].join('\n'),
    );
    expect(problemsOf(result, 'F1')[0]?.message).toMatch(/FEEL expression starting with "="/);
  });
});

describe('graph rules', () => {
  it('rejects a gateway without outgoing flows', async () => {
    // given a gateway that leads nowhere
    const result = await compileProcess(
      '<bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="G"/><bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G"/>',
    );
    // then it is named
    expect(problemsOf(result, 'G')[0]?.message).toMatch(/at least one outgoing sequence flow/);
  });

  it('rejects a default flow with a condition and one that does not leave the gateway', async () => {
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"/><bpmn:endEvent id="E"/><bpmn:endEvent id="E2"/>',
        '<bpmn:exclusiveGateway id="G1" default="F2"/><bpmn:exclusiveGateway id="G2" default="F1"/>',
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G1"/>',
        '<bpmn:sequenceFlow id="F2" sourceRef="G1" targetRef="G2"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>',
        '<bpmn:sequenceFlow id="F3" sourceRef="G2" targetRef="E"/>',
      ].join('\n'),
    );
    expect(problemsOf(result, 'F2')[0]?.message).toMatch(/to have no condition/);
    expect(problemsOf(result, 'G2')[0]?.message).toMatch(/one of its outgoing flows/);
  });

  it('rejects an event-based gateway that leads to a task', async () => {
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"/><bpmn:eventBasedGateway id="G"/><bpmn:task id="T"/>',
        '<bpmn:intermediateCatchEvent id="C"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G"/><bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="T"/><bpmn:sequenceFlow id="F3" sourceRef="G" targetRef="C"/>',
      ].join('\n'),
    );
    expect(result.problems.map((p) => p.elementId)).toEqual(['T']);
  });

  it('rejects start events with definitions inside a plain sub-process, and flows across scopes', async () => {
    const result = await compileProcess(
      [
        '<bpmn:startEvent id="S"/>',
        '<bpmn:subProcess id="Sub"><bpmn:startEvent id="SubStart"><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:startEvent><bpmn:endEvent id="SubEnd"/></bpmn:subProcess>',
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="SubEnd"/>',
      ].join('\n'),
      '<bpmn:signal id="Sig" name="s"/>',
    );
    expect(problemsOf(result, 'SubStart')[0]?.message).toMatch(
      /start event in a sub-process to have one of: no definition/,
    );
    expect(problemsOf(result, 'Sub')[0]?.message).toMatch(/exactly one none start event/);
    expect(problemsOf(result, 'F1')[0]?.message).toMatch(/stay inside P/);
  });
});

describe('collaborations', () => {
  it('compiles the executable processes of the participants only', async () => {
    // given a collaboration with an executable and a non-executable pool
    const xml = processXml(
      around('T', '<bpmn:task id="T"/>'),
      '<bpmn:collaboration id="Col"><bpmn:participant id="P1" processRef="P"/><bpmn:participant id="P2" processRef="Other"/></bpmn:collaboration>' +
        '<bpmn:process id="Other" isExecutable="false"><bpmn:task id="Doc"/></bpmn:process>',
    );
    // when compiled, then only P is a model
    const result = await compileBpmn(xml);
    expect(only(result).id).toBe('P');
  });
});
