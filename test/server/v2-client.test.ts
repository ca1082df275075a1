/**
 * Acceptance: Camunda's official 9.x client (`@camunda8/orchestration-cluster-api`), unchanged
 * except for its address, runs a whole journey against Baton's `/v2` with strict validation of
 * every answer against Camunda's schemas: deploy, start, job workers that complete, fail with
 * retries and throw a BPMN error caught by a boundary event, message correlation, a signal, a user
 * task searched, assigned and completed, an incident resolved, an instance cancelled.
 */
import { createCamundaClient, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInstanceKey } from '../../engine/src/server/v2/keys.js';
import { startTestServer, waitFor, type TestServer } from './helpers.js';

let t: TestServer;
let camunda: CamundaClient;
const now = { consistency: { waitUpToMs: 0 } } as const;

/** The elements instance `key` waits at, read from Baton's own API. */
async function waitsAt(key: string): Promise<string[]> {
  return (await t.call('GET', `/api/instances/${decodeInstanceKey(key)}`)).body?.activeElements ?? [];
}

function file(name: string): File {
  return new File([readFileSync(new URL(`../fixtures/v2/${name}`, import.meta.url))], name, {
    type: 'application/xml',
  });
}

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
});
afterAll(async () => {
  await t.close();
});

describe('the 9.x client against /v2', () => {
  it('sees one broker with one partition', async () => {
    const topology = await camunda.getTopology();
    expect(topology.brokers).toHaveLength(1);
    expect(topology.brokers[0]!.partitions).toEqual([{ partitionId: 1, role: 'leader', health: 'healthy' }]);
    expect(await camunda.getLicense()).toMatchObject({ validLicense: true, isCommercial: false });
  });

  it('runs the whole journey', async () => {
    // given: two processes deployed in one multipart deployment
    const deployment = await camunda.createDeployment({ resources: [file('journey.bpmn'), file('hold.bpmn')] });
    expect(deployment.processes.map((p) => p.processDefinitionId).sort()).toEqual(['v2_hold', 'v2_journey']);
    // and workers: complete, fail once with retries, throw a BPMN error, fail with no retries once
    let flakyCalls = 0;
    let brokenCalls = 0;
    const workers = [
      camunda.createJobWorker({
        jobType: 'v2.charge',
        jobTimeoutMs: 30_000,
        jobHandler: (job) => job.complete({ charged: job.customHeaders.currency }),
      }),
      camunda.createJobWorker({
        jobType: 'v2.flaky',
        jobTimeoutMs: 30_000,
        jobHandler: (job) =>
          ++flakyCalls === 1
            ? job.fail({ errorMessage: 'try again', retries: job.retries - 1, retryBackOff: 0 })
            : job.complete({ flakyCalls }),
      }),
      camunda.createJobWorker({
        jobType: 'v2.ship',
        jobTimeoutMs: 30_000,
        jobHandler: (job) =>
          job.error({ errorCode: 'OUT_OF_STOCK', errorMessage: 'none left', variables: { stock: 0 } }),
      }),
      camunda.createJobWorker({
        jobType: 'v2.broken',
        jobTimeoutMs: 30_000,
        jobHandler: (job) =>
          ++brokenCalls === 1 ? job.fail({ errorMessage: 'broken', retries: 0, retryBackOff: 0 }) : job.complete(),
      }),
    ];
    try {
      // when: an order starts
      const started = await camunda.createProcessInstance({
        processDefinitionId: 'v2_journey',
        variables: { orderId: 'o-1' },
      } as never);
      const key = started.processInstanceKey;
      // then it waits for the payment after the BPMN error was caught
      await waitFor('the error boundary', async () => {
        const vars = await camunda.searchVariables(
          { filter: { processInstanceKey: key, name: 'stock' } } as never,
          now,
        );
        return vars.items.length === 1;
      });
      const correlated = await camunda.correlateMessage({ name: 'paid', correlationKey: 'o-1' } as never);
      expect(correlated.processInstanceKey).toBe(key);
      await waitFor('the signal wait', async () => (await waitsAt(key)).includes('WaitGo'));
      await camunda.broadcastSignal({ signalName: 'go' } as never);
      const task = await waitFor('the user task', async () => {
        const found = await camunda.searchUserTasks(
          { filter: { processInstanceKey: key, candidateGroup: 'sales' } } as never,
          now,
        );
        return found.items[0];
      });
      expect(task).toMatchObject({
        elementId: 'Approve',
        state: 'CREATED',
        assignee: null,
        candidateGroups: ['sales'],
      });
      const taskVariables = await camunda.searchUserTaskVariables({ userTaskKey: task.userTaskKey } as never, now);
      expect(taskVariables.items).toEqual([]); // nothing local to the task
      // no form: 204 (checked over raw HTTP: the 9.x client's strict check refuses its own empty 204 answer)
      expect((await t.call('GET', `/v2/user-tasks/${task.userTaskKey}/form`)).status).toBe(204);
      await camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'alice' } as never);
      expect((await camunda.getUserTask({ userTaskKey: task.userTaskKey } as never, now)).assignee).toBe('alice');
      await camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } } as never);
      const done = await waitFor('completion', async () => {
        const pi = await camunda.getProcessInstance({ processInstanceKey: key } as never, now);
        return pi.state === 'COMPLETED' && pi;
      });
      expect(done).toMatchObject({ processDefinitionId: 'v2_journey', hasIncident: false });
      expect(flakyCalls).toBe(2);
      const variables = await camunda.searchVariables({ filter: { processInstanceKey: key } } as never, now);
      const byName = Object.fromEntries(variables.items.map((v) => [v.name, JSON.parse(v.value)]));
      expect(byName).toMatchObject({ orderId: 'o-1', charged: 'EUR', flakyCalls: 2, stock: 0, approved: true });

      // when: a job fails with no retries left, an incident is raised; resolving it runs the job again
      const held = await camunda.createProcessInstance({
        processDefinitionId: 'v2_hold',
        variables: { orderId: 'h-1' },
      } as never);
      const incident = await waitFor('the incident', async () => {
        const found = await camunda.searchIncidents(
          { filter: { processInstanceKey: held.processInstanceKey } } as never,
          now,
        );
        return found.items[0];
      });
      expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'broken', state: 'ACTIVE' });
      const ofInstance = await camunda.searchProcessInstanceIncidents(
        { processInstanceKey: held.processInstanceKey } as never,
        now,
      );
      expect(ofInstance.items.map((i) => i.incidentKey)).toEqual([incident.incidentKey]);
      await camunda.resolveIncident({ incidentKey: incident.incidentKey } as never);
      await waitFor('the job to run again', async () => brokenCalls === 2);
      // and the instance, now waiting for a message that never comes, is cancelled
      await waitFor('the message wait', async () => (await waitsAt(held.processInstanceKey)).includes('Never'));
      await camunda.cancelProcessInstance({ processInstanceKey: held.processInstanceKey } as never);
      const cancelled = await camunda.getProcessInstance({ processInstanceKey: held.processInstanceKey } as never, now);
      expect(cancelled.state).toBe('TERMINATED');
    } finally {
      for (const w of workers) w.stop();
    }
  });
});
