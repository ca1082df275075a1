/**
 * Deployments of several resources over HTTP (issue 12 item 1, issue 14 item 1): BPMN, DMN and
 * Camunda Forms as raw XML, multipart or JSON; versioned per id as Camunda 8 does (an unchanged
 * resource makes no new version, a deployment with anything new versions all of its resources);
 * all or nothing, with the resource, element id and line of every problem.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, fixture, startTestServer, type TestServer } from './helpers.js';
import { formJson, gradeDmn, multipart, ruleProcess } from './resource-fixtures.js';

const DMN = gradeDmn('Grades', 'grading', [
  ['"A"', '"excellent"'],
  ['"B"', '"good"'],
]);
const BPMN = ruleProcess('graded', { decisionId: 'grading', resultVariable: 'verdict' });
const FORM = formJson('review-form', { keys: ['comment'] });

describe('deployments of several resources', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  const deployJson = (resources: { name?: string; content: string }[]) =>
    t.call('POST', '/api/deployments', { json: { resources } });

  it('deploys a DMN document sent alone as XML, told apart from BPMN by its root element', async () => {
    // when a .dmn is posted as application/xml
    const answer = await t.call('POST', '/api/deployments', { raw: DMN, contentType: 'application/xml' });
    // then its decisions are deployed, and nothing else
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      processes: [],
      decisions: [{ decisionId: 'grading', version: 1, name: 'grading', decisionRequirementsId: 'Grades' }],
      decisionRequirements: [{ decisionRequirementsId: 'Grades', version: 1, resourceName: 'Grades.dmn' }],
      forms: [],
      warnings: [],
    });
    expect((await t.call('GET', '/api/decisions')).body).toEqual([
      expect.objectContaining({ decisionId: 'grading', version: 1, deployedAt: expect.any(String) }),
    ]);
  });

  it('deploys BPMN, DMN and a form in one multipart body, one version each', async () => {
    // given three files, as curl -F resources=@… sends them
    const body = multipart([
      { field: 'resources', filename: 'graded.bpmn', content: BPMN },
      { field: 'resources', filename: 'grades.dmn', content: DMN },
      { field: 'other', filename: 'review.form', content: FORM },
    ]);
    // when they are deployed
    const answer = await t.call('POST', '/api/deployments', body);
    // then every resource is in one deployment
    expect(answer.status).toBe(201);
    expect(answer.body.processes).toEqual([
      expect.objectContaining({ processId: 'graded', version: 1, resourceName: 'graded.bpmn' }),
    ]);
    expect(answer.body.decisions).toEqual([
      expect.objectContaining({ decisionId: 'grading', version: 1, resourceName: 'grades.dmn' }),
    ]);
    expect(answer.body.forms).toEqual([
      expect.objectContaining({ formId: 'review-form', version: 1, resourceName: 'review.form' }),
    ]);
    expect((await t.call('GET', '/api/processes/graded/xml')).text).toBe(BPMN);
    expect((await t.call('GET', '/api/decisions/grading/xml')).text).toBe(DMN);
    expect(JSON.parse((await t.call('GET', '/api/forms/review-form')).text)).toEqual(JSON.parse(FORM));
  });

  it('deploys a JSON list of resources; a redeploy of the same resources answers 200 with the same versions', async () => {
    // given
    const resources = [
      { name: 'graded.bpmn', content: BPMN },
      { name: 'grades.dmn', content: DMN },
    ];
    const first = await deployJson(resources);
    // when the same resources are deployed again
    const again = await deployJson(resources);
    // then nothing new is stored
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.processes).toEqual(first.body.processes);
    expect(again.body.decisions).toEqual(first.body.decisions);
    expect((await t.call('GET', '/api/processes')).body).toHaveLength(1);
  });

  it('versions every resource of a deployment when one of them changed, as Camunda 8 does', async () => {
    // given a deployment of a process and its decisions
    await deployJson([
      { name: 'graded.bpmn', content: BPMN },
      { name: 'grades.dmn', content: DMN },
    ]);
    // when only the DMN changed
    const changed = DMN.replace('&quot;good&quot;', '&quot;fine&quot;');
    const second = await deployJson([
      { name: 'graded.bpmn', content: BPMN },
      { name: 'grades.dmn', content: changed },
    ]);
    // then both get a new version, so the deployment binding finds them together
    expect(second.status).toBe(201);
    expect(second.body.processes[0]).toMatchObject({ processId: 'graded', version: 2 });
    expect(second.body.decisions[0]).toMatchObject({ decisionId: 'grading', version: 2 });
    expect((await t.call('GET', '/api/decisions/grading/xml?version=1')).text).toBe(DMN);
    expect((await t.call('GET', '/api/decisions/grading/xml')).text).toBe(changed);
    // and deploying the unchanged process alone makes no new version of it
    const alone = await deployJson([{ name: 'graded.bpmn', content: BPMN }]);
    expect(alone.status).toBe(200);
    expect(alone.body.processes[0]).toMatchObject({ version: 2 });
    expect(alone.body.id).toBe(second.body.id);
  });

  it('makes a new version of a resource deployed unchanged under another name (name and checksum count)', async () => {
    await deployJson([{ name: 'a.form', content: FORM }]);
    const renamed = await deployJson([{ name: 'b.form', content: FORM }]);
    expect(renamed.status).toBe(201);
    expect(renamed.body.forms[0]).toMatchObject({ formId: 'review-form', version: 2, resourceName: 'b.form' });
  });

  it('deploys a form sent alone as JSON resource and versions it by its id', async () => {
    const first = await deployJson([{ name: 'review.form', content: FORM }]);
    const second = await deployJson([{ name: 'review.form', content: formJson('review-form', { keys: ['note'] }) }]);
    expect(first.body.forms[0]).toMatchObject({ formId: 'review-form', version: 1 });
    expect(second.body.forms[0]).toMatchObject({ formId: 'review-form', version: 2 });
    const forms = (await t.call('GET', '/api/forms')).body;
    expect(forms.map((f: { version: number }) => f.version)).toEqual([1, 2]);
    expect(JSON.parse((await t.call('GET', '/api/forms/review-form?version=1')).text).components[0].key).toBe(
      'comment',
    );
    expect(JSON.parse((await t.call('GET', '/api/forms/review-form')).text).components[0].key).toBe('note');
  });

  it('refuses the whole deployment when one resource is invalid, naming the resource, element and line', async () => {
    // given a good process and decision beside a DMN table with unparsable FEEL
    const broken = gradeDmn('Other', 'other', [['"A"', '"x" +']]);
    // when they are deployed together
    const answer = await deployJson([
      { name: 'graded.bpmn', content: BPMN },
      { name: 'grades.dmn', content: DMN },
      { name: 'broken.dmn', content: broken },
    ]);
    // then nothing is stored and the problem says where it is
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe('INVALID_DMN');
    expect(error.message).toMatch(/^The DMN resource cannot be deployed: broken\.dmn: /);
    expect(error.details[0]).toMatchObject({
      resource: 'broken.dmn',
      elementId: 'LiteralExpression_other_1_1',
      line: expect.any(Number),
    });
    for (const path of ['/api/processes', '/api/decisions', '/api/forms'])
      expect((await t.call('GET', path)).body, path).toEqual([]);
  });

  it('refuses a form that is not valid JSON or has no id, with the line', async () => {
    const answer = await deployJson([
      { name: 'graded.bpmn', content: BPMN },
      { name: 'bad.form', content: '{\n  "id": "x",\n  "components": [\n}' },
      { name: 'noid.form', content: '{"components": []}' },
    ]);
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe('INVALID_FORM');
    expect(error.details).toEqual([
      expect.objectContaining({ resource: 'bad.form', line: 4 }),
      expect.objectContaining({ resource: 'noid.form', message: expect.stringMatching(/have an id/) }),
    ]);
    expect((await t.call('GET', '/api/processes')).body).toEqual([]);
  });

  it('refuses two resources defining one id, an unknown kind of resource and two resources of one name', async () => {
    const twice = await deployJson([
      { name: 'a.dmn', content: DMN },
      { name: 'b.dmn', content: DMN.replace('id="Grades"', 'id="Grades2"') },
    ]);
    expect(twice.status).toBe(400);
    expect(errorOf(twice)).toMatchObject({
      code: 'INVALID_DEPLOYMENT',
      details: [{ resource: 'b.dmn', elementId: 'grading', message: expect.stringMatching(/"a\.dmn" and "b\.dmn"/) }],
    });
    const unknown = await deployJson([{ name: 'notes.txt', content: 'hello' }]);
    expect(errorOf(unknown)).toMatchObject({ code: 'INVALID_DEPLOYMENT', details: [{ resource: 'notes.txt' }] });
    const sameName = await deployJson([
      { name: 'x.bpmn', content: BPMN },
      { name: 'x.bpmn', content: fixture('server-job.bpmn') },
    ]);
    expect(errorOf(sameName).code).toBe('INVALID_DEPLOYMENT');
    expect((await t.call('GET', '/api/processes')).body).toEqual([]);
  });

  it('answers 400 to malformed multipart and JSON deployments, storing nothing', async () => {
    // a multipart body cut off before its closing boundary
    const body = multipart([{ field: 'resources', filename: 'grades.dmn', content: DMN }]);
    const cut = await t.call('POST', '/api/deployments', {
      raw: body.raw.slice(0, 200),
      contentType: body.contentType,
    });
    expect(cut.status).toBe(400);
    expect(errorOf(cut).code).toBe('INVALID_REQUEST');
    const noBoundary = await t.call('POST', '/api/deployments', { raw: 'x', contentType: 'multipart/form-data' });
    expect(noBoundary.status).toBe(400);
    const textPart = await t.call('POST', '/api/deployments', multipart([{ field: 'tenantId', content: 'acme' }]));
    expect(errorOf(textPart).message).toMatch(/text part "tenantId"/);
    for (const json of [{}, { resources: 'x' }, { resources: [{ name: 'a.bpmn' }] }, { resources: [] }]) {
      const answer = await t.call('POST', '/api/deployments', { json });
      expect(answer.status, JSON.stringify(json)).toBe(400);
    }
    const notJson = await t.call('POST', '/api/deployments', {
      raw: '{"resources": [',
      contentType: 'application/json',
    });
    expect(errorOf(notJson).code).toBe('INVALID_JSON');
    expect((await t.call('GET', '/api/decisions')).body).toEqual([]);
  });

  it('refuses more than 100 resources and a form nested too deep to parse, with 400 and nothing stored', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `f${i}.form`, content: formJson(`f${i}`) }));
    expect(errorOf(await deployJson(many)).code).toBe('INVALID_REQUEST');
    const parts = many.map((r) => ({ field: 'resources', filename: r.name, content: r.content }));
    expect((await t.call('POST', '/api/deployments', multipart(parts))).status).toBe(400);
    const deep = await deployJson([{ name: 'deep.form', content: '{"a":'.repeat(100_000) }]);
    expect(errorOf(deep).code).toBe('INVALID_FORM');
    expect((await t.call('GET', '/api/forms')).body).toEqual([]);
    expect((await t.call('GET', '/api/health')).status).toBe(200);
  });

  it('warns about a task bound to its own deployment whose decision or form is not in it', async () => {
    const process = ruleProcess('bound', { decisionId: 'missing', resultVariable: 'r', bindingType: 'deployment' });
    const answer = await deployJson([{ name: 'bound.bpmn', content: process }]);
    expect(answer.status).toBe(201);
    expect(answer.body.warnings).toEqual([
      expect.objectContaining({
        resource: 'bound.bpmn',
        elementId: 'Task',
        message: expect.stringMatching(/decision "missing"/),
      }),
    ]);
  });
});
