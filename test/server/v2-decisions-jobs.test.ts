/**
 * More of `/v2` through the official 9.x client with strict answer validation: a DMN deployed with
 * `POST /v2/deployments`, found by search and evaluated standalone; a job failed with variables
 * (set local to its task), its retries and timeout changed with `PATCH`; variables set on the
 * process instance scope with `PUT /v2/element-instances/{key}/variables`.
 */
import { createCamundaClient, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInstanceKey } from '../../engine/src/server/v2/keys.js';
import { fixture, startTestServer, waitFor, type TestServer } from './helpers.js';
import { formJson, formProcess } from './resource-fixtures.js';

let t: TestServer;
let camunda: CamundaClient;
const now = { consistency: { waitUpToMs: 0 } } as const;

beforeAll(async () => {
  t = await startTestServer();
  camunda = createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: t.url,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SDK_VALIDATION: 'res:strict',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
    } as never,
  });
  const dmn = readFileSync(new URL('../fixtures/dmn/shipping.dmn', import.meta.url));
  await camunda.createDeployment({
    resources: [
      new File([dmn], 'shipping.dmn', { type: 'application/xml' }),
      new File([fixture('server-job.bpmn')], 'server-job.bpmn', { type: 'application/xml' }),
    ],
  });
});
afterAll(async () => {
  await t.close();
});

describe('decisions on /v2', () => {
  it('are found by search and evaluated standalone, by id and by key', async () => {
    const found = await camunda.searchDecisionDefinitions(
      { filter: { decisionDefinitionId: 'carrier' } } as never,
      now,
    );
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ decisionRequirementsId: 'Shipping', version: 1 });
    const byId = await camunda.evaluateDecision({
      decisionDefinitionId: 'carrier',
      variables: { parcel: { weight: 1, country: 'DE' } },
    } as never);
    expect(JSON.parse(byId.output)).toBe('express');
    expect(byId.decisionDefinitionKey).toBe(found.items[0]!.decisionDefinitionKey);
    const last = byId.evaluatedDecisions.at(-1)!;
    expect(last).toMatchObject({ decisionDefinitionId: 'carrier', decisionDefinitionType: 'DECISION_TABLE' });
    expect(last.matchedRules.length).toBeGreaterThan(0);
    const byKey = await camunda.evaluateDecision({
      decisionDefinitionKey: found.items[0]!.decisionDefinitionKey,
      variables: { parcel: { weight: 1, country: 'DE' } },
    } as never);
    expect(byKey.output).toBe(byId.output);
    const xml = await t.call('GET', `/v2/decision-definitions/${found.items[0]!.decisionDefinitionKey}/xml`);
    expect(xml.text).toContain('id="carrier"');
  });
});

describe('jobs and variables on /v2', () => {
  it('fails a job with local variables, changes its retries and timeout, sets instance variables', async () => {
    const started = await camunda.createProcessInstance({
      processDefinitionId: 'srv_job',
      variables: { a: 1 },
    } as never);
    const key = started.processInstanceKey;
    const activate = () =>
      camunda.activateJobs({
        type: 'srv.work',
        maxJobsToActivate: 1,
        timeout: 30_000,
        requestTimeout: 5_000,
        worker: 'w',
      } as never);
    const [job] = (await activate()).jobs;
    // when the job fails with variables and one retry left
    await camunda.failJob({
      jobKey: job!.jobKey,
      retries: 1,
      errorMessage: 'later',
      retryBackOff: 0,
      variables: { attempt: 1 },
    } as never);
    // then the variable is local to the task's element instance
    const local = await camunda.searchVariables({ filter: { processInstanceKey: key, name: 'attempt' } } as never, now);
    expect(local.items).toHaveLength(1);
    expect(local.items[0]).toMatchObject({ value: '1', scopeKey: job!.elementInstanceKey });
    expect(await camunda.getVariable({ variableKey: local.items[0]!.variableKey } as never, now)).toMatchObject({
      name: 'attempt',
    });
    // when it is activated again, its retries and timeout are changed
    const [again] = (await activate()).jobs;
    expect(again!.retries).toBe(1);
    await camunda.updateJob({ jobKey: again!.jobKey, changeset: { retries: 5, timeout: 120_000 } } as never);
    const waits = await t.call('GET', `/api/console/instances/${decodeInstanceKey(key)}/waits`);
    expect(waits.body.jobs[0]).toMatchObject({ retries: 5, worker: 'w' });
    expect(Date.parse(waits.body.jobs[0].lockedUntil) - Date.now()).toBeGreaterThan(60_000);
    // and variables set on the instance scope are seen by the job's completion
    await camunda.createElementInstanceVariables({ elementInstanceKey: key, variables: { b: 2 } } as never);
    await camunda.completeJob({ jobKey: again!.jobKey } as never);
    const all = await camunda.searchVariables({ filter: { processInstanceKey: key, scopeKey: key } } as never, now);
    expect(Object.fromEntries(all.items.map((v) => [v.name, JSON.parse(v.value)]))).toEqual({ a: 1, b: 2 });
  });

  it('refuses an unknown job or instance key with 404', async () => {
    const missing = await t.call('POST', '/v2/jobs/29999/completion', { json: {} });
    expect(missing.status).toBe(404);
    const element = await t.call('PUT', '/v2/element-instances/29999/variables', { json: { variables: { x: 1 } } });
    expect(element.status).toBe(404);
  });
});

describe('forms on /v2', () => {
  it("answers a user task's linked form, deployed with its process", async () => {
    const deployed = await camunda.createDeployment({
      resources: [
        new File([formProcess('v2_form', { formId: 'order-form' })], 'form.bpmn', { type: 'application/xml' }),
        new File([formJson('order-form', { keys: ['amount'] })], 'order.form', { type: 'application/json' }),
      ],
    });
    expect(deployed.forms).toEqual([expect.objectContaining({ formId: 'order-form', version: 1 })]);
    const started = await camunda.createProcessInstance({ processDefinitionId: 'v2_form' } as never);
    const task = await waitFor('the task', async () => {
      const found = await camunda.searchUserTasks(
        { filter: { processInstanceKey: started.processInstanceKey } } as never,
        now,
      );
      return found.items[0];
    });
    const form = await camunda.getUserTaskForm({ userTaskKey: task.userTaskKey } as never, now);
    expect(form).toMatchObject({ formId: 'order-form', version: 1, formKey: deployed.forms[0]!.formKey });
    expect(JSON.parse((form as { schema: string }).schema).components[0].key).toBe('amount');
  });
});
