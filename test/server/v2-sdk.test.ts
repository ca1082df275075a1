/**
 * Acceptance: Camunda's 8.8 SDK (`@camunda8/sdk`, `Camunda8().getCamundaRestClient()` and its REST
 * job workers), unchanged except for its address, runs the journey of ./v2-client.test.ts against
 * Baton's `/v2`: deploy, start, workers that complete, fail with retries and throw a BPMN error,
 * message correlation, a signal, a user task searched, assigned and completed, an incident
 * resolved, an instance cancelled.
 */
import { Camunda8 } from '@camunda8/sdk';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInstanceKey } from '../../engine/src/server/v2/keys.js';
import { startTestServer, waitFor, type TestServer } from './helpers.js';

let t: TestServer;
let rest: ReturnType<Camunda8['getCamundaRestClient']>;

const fixture = (name: string) => readFileSync(new URL(`../fixtures/v2/${name}`, import.meta.url), 'utf8');

/** The elements instance `key` waits at, read from Baton's own API. */
async function waitsAt(key: string): Promise<string[]> {
  return (await t.call('GET', `/api/instances/${decodeInstanceKey(key)}`)).body?.activeElements ?? [];
}

beforeAll(async () => {
  t = await startTestServer();
  const c8 = new Camunda8({
    ZEEBE_REST_ADDRESS: t.url,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_LOG_LEVEL: 'none',
  } as never);
  rest = c8.getCamundaRestClient();
});
afterAll(async () => {
  await t.close();
});

describe('the 8.8 SDK against /v2', () => {
  it('runs the whole journey', async () => {
    const topology = await rest.getTopology();
    expect(topology.brokers).toHaveLength(1);
    const deployment = await rest.deployResources([
      { name: 'journey.bpmn', content: fixture('journey.bpmn') },
      { name: 'hold.bpmn', content: fixture('hold.bpmn') },
    ]);
    expect(deployment.processes.map((p) => p.processDefinitionId).sort()).toEqual(['v2_hold', 'v2_journey']);
    let flakyCalls = 0;
    let brokenCalls = 0;
    const worker = (type: string, handler: (job: any) => any) =>
      rest.createJobWorker({
        type,
        worker: `sdk-${type}`,
        maxJobsToActivate: 10,
        timeout: 30_000,
        pollIntervalMs: 50,
        jobHandler: handler,
      } as never);
    const workers = [
      worker('v2.charge', (job) => job.complete({ charged: job.customHeaders.currency })),
      worker('v2.flaky', (job) =>
        ++flakyCalls === 1
          ? job.fail({ errorMessage: 'try again', retries: job.retries - 1, retryBackOff: 0 })
          : job.complete({ flakyCalls }),
      ),
      worker('v2.ship', (job) =>
        job.error({ errorCode: 'OUT_OF_STOCK', errorMessage: 'none left', variables: { stock: 0 } }),
      ),
      worker('v2.broken', (job) =>
        ++brokenCalls === 1 ? job.fail({ errorMessage: 'broken', retries: 0, retryBackOff: 0 }) : job.complete(),
      ),
    ];
    try {
      const started = await rest.createProcessInstance({
        processDefinitionId: 'v2_journey',
        variables: { orderId: 'o-2' },
      });
      const key = started.processInstanceKey;
      await waitFor('the message wait', async () => (await waitsAt(key)).includes('WaitPaid'));
      const correlated = await rest.correlateMessage({ name: 'paid', correlationKey: 'o-2' });
      expect(correlated.processInstanceKey).toBe(key);
      await waitFor('the signal wait', async () => (await waitsAt(key)).includes('WaitGo'));
      await rest.broadcastSignal({ signalName: 'go' });
      const task = await waitFor('the user task', async () => {
        const found = await rest.searchUserTasks({ filter: { processInstanceKey: key } } as never);
        return found.items[0];
      });
      expect(task).toMatchObject({ elementId: 'Approve', candidateGroups: ['sales'] });
      await rest.assignTask({ userTaskKey: task.userTaskKey, assignee: 'bob' });
      expect((await rest.getUserTask(task.userTaskKey)).assignee).toBe('bob');
      await rest.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
      await waitFor('completion', async () => {
        const found = await rest.searchProcessInstances({ filter: { processInstanceKey: key } } as never);
        return found.items[0]?.state === 'COMPLETED';
      });
      const variables = await rest.searchVariables({ filter: { processInstanceKey: key } } as never);
      const byName = Object.fromEntries(variables.items.map((v: any) => [v.name, JSON.parse(v.value)]));
      expect(byName).toMatchObject({ orderId: 'o-2', charged: 'EUR', flakyCalls: 2, stock: 0, approved: true });

      const held = await rest.createProcessInstance({ processDefinitionId: 'v2_hold', variables: { orderId: 'h-2' } });
      const incident = await waitFor('the incident', async () => {
        const found = await rest.searchIncidents({ filter: { processInstanceKey: held.processInstanceKey } } as never);
        return found.items[0];
      });
      expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'broken' });
      await rest.resolveIncident(incident.incidentKey);
      await waitFor('the message wait after the retry', async () =>
        (await waitsAt(held.processInstanceKey)).includes('Never'),
      );
      await rest.cancelProcessInstance({ processInstanceKey: held.processInstanceKey });
      expect((await t.call('GET', `/api/instances/${decodeInstanceKey(held.processInstanceKey)}`)).body.status).toBe(
        'cancelled',
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
