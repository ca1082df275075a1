/**
 * Helpers of the operations tests (modification, migration, batch operations, audit) over real
 * HTTP: models built from BPMN snippets, deploying them, starting instances and reading them back.
 */
import { expect } from 'vitest';
import { bpmn, flow, job } from '../core/harness.js';
import type { TestServer } from './helpers.js';

export { bpmn, flow, job };

export const MESSAGE = `<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`;

/** A message catch event waiting for `paid` correlated by `orderId`. */
export const catchPaid = (id: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>`;

/** Deploys BPMN XML; returns the version of its (first) process. */
export async function deployXml(t: TestServer, xml: string, headers: Record<string, string> = {}): Promise<number> {
  const answer = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml', headers });
  expect(answer.status, answer.text).toBeLessThan(300);
  return answer.body.processes[0].version;
}

/** Starts an instance; returns its id. */
export async function startOne(
  t: TestServer,
  processId: string,
  variables: Record<string, unknown> = {},
  version?: number,
): Promise<string> {
  const answer = await t.call('POST', `/api/processes/${processId}/instances`, { json: { variables, version } });
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id;
}

/** Activates and completes one job of `type`, as an external worker would. */
export async function completeJob(t: TestServer, type: string, variables: Record<string, unknown> = {}): Promise<void> {
  const got = await t.call('POST', '/api/jobs/activate', { json: { type, worker: 'w', maxJobs: 1 } });
  expect(got.body.jobs, `a job of type ${type}`).toHaveLength(1);
  const done = await t.call('POST', `/api/jobs/${got.body.jobs[0].key}/complete`, { json: { variables } });
  expect(done.status, done.text).toBe(200);
}

export async function instance(t: TestServer, id: string): Promise<any> {
  return (await t.call('GET', `/api/instances/${id}`)).body;
}

export async function history(t: TestServer, id: string): Promise<any[]> {
  return (await t.call('GET', `/api/instances/${id}/history`)).body;
}
