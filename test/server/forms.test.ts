/**
 * Forms as resources (issue 14 item 1): a user task's linked form resolves with each binding type
 * when the task activates and `GET /api/user-tasks/:id/form` answers its schema and the task's
 * variables; an embedded form (`zeebe:userTaskForm`) works too; a linked form that is not deployed
 * is an incident at the task, as on Camunda 8, whose retry creates the task once the form is there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, fixture, startTestServer, waitFor, type TestServer } from './helpers.js';
import { formJson, formProcess } from './resource-fixtures.js';

describe('forms of user tasks', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  const deploy = async (resources: { name: string; content: string }[]) => {
    const answer = await t.call('POST', '/api/deployments', { json: { resources } });
    expect(answer.status, answer.text).toBeLessThan(300);
    return answer.body;
  };
  const start = async (processId: string, variables: Record<string, unknown> = {}) =>
    (await t.call('POST', `/api/processes/${processId}/instances`, { json: { variables } })).body.id as string;
  const taskOf = (instanceId: string) =>
    waitFor(
      `the user task of ${instanceId}`,
      async () => (await t.call('GET', `/api/user-tasks?instanceId=${instanceId}`)).body[0],
    );
  const formOf = async (instanceId: string) =>
    (await t.call('GET', `/api/user-tasks/${(await taskOf(instanceId)).id}/form`)).body;

  it('answers the linked form of a task with its schema and the task’s variables', async () => {
    // given a process and its form deployed together
    await deploy([
      { name: 'p.bpmn', content: formProcess('p', { formId: 'order-form' }) },
      { name: 'order.form', content: formJson('order-form', { keys: ['customer', 'amount'] }) },
    ]);
    // when an instance reaches the task
    const id = await start('p', { customer: 'ACME', amount: 250 });
    const form = await formOf(id);
    // then the task's form is the deployed schema, with the variables that prefill it
    expect(form).toMatchObject({
      formId: 'order-form',
      version: 1,
      key: expect.any(String),
      embedded: false,
      variables: { customer: 'ACME', amount: 250 },
    });
    expect(form.schema.components.map((c: { key: string }) => c.key)).toEqual(['customer', 'amount']);
    const task = await taskOf(id);
    expect(task.formKey).toBe('order-form');
    expect(task.hasForm).toBe(true);
  });

  it('binds the latest form, the form of its deployment, or the latest with a version tag', async () => {
    // given form version 1 (tag "v1") deployed with the processes, then version 2 (tag "v2") and 3 alone
    const processes = ['latest', 'deployment', 'versionTag'].map((binding) => ({
      name: `${binding}.bpmn`,
      content: formProcess(binding, {
        formId: 'f',
        bindingType: binding,
        versionTag: binding === 'versionTag' ? 'v2' : undefined,
      }),
    }));
    const form = (label: string, versionTag?: string) => ({
      name: 'f.form',
      content: formJson('f', { label, ...(versionTag ? { versionTag } : {}) }),
    });
    await deploy([...processes, form('one', 'v1')]);
    await deploy([form('two', 'v2')]);
    await deploy([form('three')]);
    // when each process reaches its task
    const labels: Record<string, [number, string]> = {};
    for (const p of ['latest', 'deployment', 'versionTag']) {
      const f = await formOf(await start(p));
      labels[p] = [f.version, f.schema.components[0].label];
    }
    // then each task got the version its binding names
    expect(labels).toEqual({ latest: [3, 'three'], deployment: [1, 'one'], versionTag: [2, 'two'] });
  });

  it('keeps the form version the task got when it activated, after a newer version is deployed', async () => {
    await deploy([
      { name: 'p.bpmn', content: formProcess('p', { formId: 'f' }) },
      { name: 'f.form', content: formJson('f', { label: 'old' }) },
    ]);
    const id = await start('p');
    await taskOf(id);
    await deploy([{ name: 'f.form', content: formJson('f', { label: 'new' }) }]);
    expect((await formOf(id)).schema.components[0].label).toBe('old');
  });

  it('raises FORM_NOT_FOUND at the task for a linked form that is not deployed; a retry creates the task', async () => {
    // given a process whose form was never deployed
    await deploy([{ name: 'p.bpmn', content: formProcess('p', { formId: 'missing-form' }) }]);
    const id = await start('p');
    const incident = await waitFor(
      'the incident',
      async () => (await t.call('GET', `/api/incidents?instanceId=${id}`)).body[0],
    );
    // then the task is not in the task list, and the incident names the form
    expect(incident).toMatchObject({
      elementId: 'Task',
      type: 'FORM_NOT_FOUND',
      message: expect.stringMatching(/"missing-form"/),
    });
    expect((await t.call('GET', `/api/user-tasks?instanceId=${id}`)).body).toEqual([]);
    // when the form is deployed and the incident retried
    await deploy([{ name: 'm.form', content: formJson('missing-form') }]);
    await t.call('POST', `/api/incidents/${incident.id}/retry`, { json: {} });
    // then the task is created with the form
    expect((await formOf(id)).formId).toBe('missing-form');
  });

  it('answers an embedded form (zeebe:userTaskForm) of the BPMN', async () => {
    // given a process embedding its form, as Camunda Modeler wrote them before linked forms
    const schema = formJson('embedded-form', { keys: ['note'] });
    const process = formProcess('p', { formKey: 'camunda-forms:bpmn:UserTaskForm_1' }, schema);
    await deploy([{ name: 'p.bpmn', content: process }]);
    // when the task is reached
    const id = await start('p', { note: 'hi' });
    const form = await formOf(id);
    // then its form is the embedded schema
    expect(form).toMatchObject({ formId: 'embedded-form', version: null, embedded: true, variables: { note: 'hi' } });
    expect(form.schema).toEqual(JSON.parse(schema));
    expect((await taskOf(id)).hasForm).toBe(true);
  });

  it('refuses at deploy a formKey naming an embedded form the process lacks, and an embedded form that is not valid', async () => {
    const missing = await t.call('POST', '/api/deployments', {
      raw: formProcess('p', { formKey: 'camunda-forms:bpmn:Nope' }),
      contentType: 'application/xml',
    });
    expect(errorOf(missing)).toMatchObject({ code: 'INVALID_BPMN', details: [{ elementId: 'Task' }] });
    const broken = await t.call('POST', '/api/deployments', {
      raw: formProcess('p', { formKey: 'camunda-forms:bpmn:UserTaskForm_1' }, '{"components": '),
      contentType: 'application/xml',
    });
    expect(errorOf(broken)).toMatchObject({ code: 'INVALID_BPMN', details: [{ elementId: 'UserTaskForm_1' }] });
  });

  it('answers 404 FORM_NOT_FOUND for a task without a Camunda Form and USER_TASK_NOT_FOUND for an unknown task', async () => {
    await t.deploy('server-user-task.bpmn');
    const id = await start('srv_user_task');
    const task = await taskOf(id);
    const none = await t.call('GET', `/api/user-tasks/${task.id}/form`);
    expect(none.status).toBe(404);
    expect(errorOf(none).code).toBe('FORM_NOT_FOUND');
    expect(errorOf(await t.call('GET', '/api/user-tasks/nope/form')).code).toBe('USER_TASK_NOT_FOUND');
    expect(errorOf(await t.call('GET', '/api/forms/nope')).code).toBe('FORM_NOT_FOUND');
    expect(fixture('server-user-task.bpmn')).not.toContain('formId');
  });
});
