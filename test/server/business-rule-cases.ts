/**
 * Business rule tasks that call a deployed decision (issue 12 items 3 and 5): the decision is
 * evaluated in the task's scope and its result written to the result variable; the history and the
 * console record the decision, version, inputs, matched rules and outputs; each binding type picks
 * its version; the decision id may be FEEL; a missing decision or a failed evaluation is an incident
 * whose retry evaluates again once the decision or the variables were fixed. Run on SQLite by
 * ./business-rules.test.ts and on PostgreSQL by ./business-rules-pg.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dmn, table } from '../decisions/dmn-helpers.js';
import { startTestServer, waitFor, type TestServer } from './helpers.js';
import { gradeDmn, ruleProcess } from './resource-fixtures.js';

const GRADES = gradeDmn('Grades', 'grading', [
  ['"A"', '"excellent"'],
  ['"B"', '"good"'],
  ['"A","B"', '"passed"'],
]);

/** Runs the business rule task tests on a server with `dbPath` (default: a SQLite file). */
export function businessRuleTests(name: string, dbPath?: () => Promise<{ url: string; drop(): Promise<void> }>) {
  describe(`business rule tasks (${name})`, () => {
    let t: TestServer;
    let drop: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      const db = dbPath ? await dbPath() : undefined;
      drop = db?.drop;
      t = await startTestServer(db ? { dbPath: db.url } : {});
    });
    afterEach(async () => {
      await t.close();
      await drop?.();
    });

    const deploy = async (resources: { name: string; content: string }[]) => {
      const answer = await t.call('POST', '/api/deployments', { json: { resources } });
      expect(answer.status, answer.text).toBeLessThan(300);
      return answer.body;
    };
    const start = async (processId: string, variables: Record<string, unknown>) => {
      const answer = await t.call('POST', `/api/processes/${processId}/instances`, { json: { variables } });
      expect(answer.status, answer.text).toBe(201);
      return answer.body.id as string;
    };
    const instance = async (id: string) => (await t.call('GET', `/api/instances/${id}`)).body;
    const settled = (id: string) =>
      waitFor(`instance ${id} completed or on an incident`, async () => {
        const i = await instance(id);
        return i.status === 'completed' || i.incidents.length > 0 ? i : undefined;
      });

    it('writes the result of the decision to the result variable and records the evaluation', async () => {
      // given a process calling the latest version of "grading"
      await deploy([
        { name: 'p.bpmn', content: ruleProcess('p', { decisionId: 'grading', resultVariable: 'verdict' }) },
        { name: 'grades.dmn', content: GRADES.replace('&quot;A&quot;,&quot;B&quot;', '&quot;C&quot;') },
      ]);
      // when an instance runs with grade B
      const id = await start('p', { grade: 'B' });
      const done = await settled(id);
      // then the result is the variable verdict
      expect(done).toMatchObject({ status: 'completed', variables: { grade: 'B', verdict: 'good' } });
      // and the history and the console show the decision, its version, inputs, matched rules and output
      const history = (await t.call('GET', `/api/instances/${id}/history`)).body as Record<string, unknown>[];
      const entry = history.find((h) => h['type'] === 'decision-evaluated')!;
      expect(entry).toMatchObject({ elementId: 'Task', decisionId: 'grading', version: 1, result: 'good' });
      const [console] = (await t.call('GET', `/api/console/instances/${id}/decisions`)).body;
      expect(console).toMatchObject({
        elementId: 'Task',
        elementName: 'Decide',
        decisionId: 'grading',
        version: 1,
        decisionRequirementsId: 'Grades',
        resultVariable: 'verdict',
        result: 'good',
        evaluations: [
          {
            decisionId: 'grading',
            hitPolicy: 'UNIQUE',
            inputs: [{ expression: 'grade', value: 'B' }],
            matchedRules: [
              { ruleId: 'DecisionRule_grading_2', ruleIndex: 2, outputs: [{ name: 'result', value: 'good' }] },
            ],
            result: 'good',
          },
        ],
      });
      expect((await t.call('GET', '/api/console/instances/nope/decisions')).status).toBe(404);
    });

    it('raises an incident for a decision that is not deployed, and evaluates once retried after deploying it', async () => {
      // given a process whose decision is missing
      await deploy([
        { name: 'p.bpmn', content: ruleProcess('p', { decisionId: 'grading', resultVariable: 'verdict' }) },
      ]);
      const id = await start('p', { grade: 'A' });
      const stuck = await settled(id);
      expect(stuck.incidents).toEqual([
        expect.objectContaining({
          elementId: 'Task',
          type: 'CALLED_DECISION_NOT_FOUND',
          message: expect.stringMatching(/"grading"/),
        }),
      ]);
      // when the decision is deployed and the incident retried
      await deploy([{ name: 'grades.dmn', content: GRADES.replace('&quot;A&quot;,&quot;B&quot;', '&quot;C&quot;') }]);
      expect((await t.call('POST', `/api/incidents/${stuck.incidents[0].id}/retry`, { json: {} })).status).toBeLessThan(
        300,
      );
      // then the task evaluates it and the instance completes
      expect(await settled(id)).toMatchObject({ status: 'completed', variables: { verdict: 'excellent' } });
    });

    it('raises an incident when two rules match a UNIQUE table; fixing the variables and retrying evaluates again', async () => {
      // given a table where grade A matches rules 1 and 3
      await deploy([
        { name: 'p.bpmn', content: ruleProcess('p', { decisionId: 'grading', resultVariable: 'verdict' }) },
        { name: 'grades.dmn', content: GRADES },
      ]);
      const id = await start('p', { grade: 'A' });
      const stuck = await settled(id);
      expect(stuck.incidents).toEqual([
        expect.objectContaining({
          type: 'DECISION_EVALUATION_FAILED',
          message: expect.stringMatching(/rules 1 .* and 3 /),
        }),
      ]);
      const failed = (
        (await t.call('GET', `/api/console/instances/${id}/decisions`)).body as Record<string, unknown>[]
      )[0];
      expect(failed).toMatchObject({ decisionId: 'grading', failure: expect.stringMatching(/UNIQUE/) });
      expect(failed).not.toHaveProperty('result');
      // when the variables are fixed and the incident retried
      await t.call('PATCH', `/api/instances/${id}/variables`, { json: { grade: 'B' } });
      await t.call('POST', `/api/incidents/${stuck.incidents[0].id}/retry`, { json: {} });
      // then the decision is evaluated again and the instance completes (B matches rules 2 and 3: still two)
      const again = await settled(id);
      expect(again.incidents[0]?.type).toBe('DECISION_EVALUATION_FAILED');
      await t.call('PATCH', `/api/instances/${id}/variables`, { json: { grade: 'Z' } });
      await t.call('POST', `/api/incidents/${again.incidents[0].id}/retry`, { json: {} });
      expect(await settled(id)).toMatchObject({ status: 'completed', variables: { verdict: null } });
    });

    it('binds the latest version, the version of its deployment, or the latest with a version tag', async () => {
      // given version 1 (tag "v1") deployed with the processes, then versions 2 (tag "v2") and 3 (no tag) alone
      const table = (answer: string, tag?: string) => gradeDmn('Grades', 'grading', [['-', `"${answer}"`]], tag);
      const processes = ['latest', 'deployment', 'versionTag'].map((binding) => ({
        name: `${binding}.bpmn`,
        content: ruleProcess(binding, {
          decisionId: 'grading',
          resultVariable: 'verdict',
          bindingType: binding,
          versionTag: binding === 'versionTag' ? 'v2' : undefined,
        }),
      }));
      await deploy([...processes, { name: 'grades.dmn', content: table('one', 'v1') }]);
      await deploy([{ name: 'grades.dmn', content: table('two', 'v2') }]);
      const third = await deploy([{ name: 'grades.dmn', content: table('three') }]);
      expect(third.decisions[0]).toMatchObject({ version: 3, versionTag: null });
      // when each process runs
      const verdicts: Record<string, unknown> = {};
      for (const p of processes.map((x) => x.name.replace('.bpmn', '')))
        verdicts[p] = (await settled(await start(p, {}))).variables.verdict;
      // then each took the version its binding names
      expect(verdicts).toEqual({ latest: 'three', deployment: 'one', versionTag: 'two' });
    });

    it('takes the decision id from a FEEL expression, also a different one per multi-instance iteration', async () => {
      // given two decisions and a multi-instance task whose decision id is "=item.decision"
      const twoDecisions = dmn(
        table({ id: 'first', inputs: ['grade'], outputs: ['result'], rules: [[['-'], ['"from first"']]] }),
        table({ id: 'second', inputs: ['grade'], outputs: ['result'], rules: [[['-'], ['"from second"']]] }),
      ).replace('id="Definitions_test"', 'id="Two"');
      const process = ruleProcess('dynamic', { decisionId: '=item.decision', resultVariable: 'verdict' }, '').replace(
        '<bpmn:businessRuleTask id="Task" name="Decide">',
        '<bpmn:businessRuleTask id="Task" name="Decide"><bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="verdicts" outputElement="=verdict"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>',
      );
      await deploy([
        { name: 'dynamic.bpmn', content: process },
        { name: 'two.dmn', content: twoDecisions },
      ]);
      // when it runs over items naming each decision
      const id = await start('dynamic', {
        items: [{ decision: 'second' }, { decision: 'first' }, { decision: 'second' }],
      });
      // then every iteration evaluated the decision its item names
      expect((await settled(id)).variables.verdicts).toEqual(['from second', 'from first', 'from second']);
      const decided = (await t.call('GET', `/api/console/instances/${id}/decisions`)).body as { decisionId: string }[];
      expect(decided.map((d) => d.decisionId)).toEqual(['second', 'first', 'second']);
    });
  });
}
