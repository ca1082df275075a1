/** Real data for the console specs, made through the public API (the engine runs every step). */
import type { APIRequestContext } from '@playwright/test';
import { activateJob, deploy, expect, orderXml, startInstance, until, userTaskOf } from './support.ts';

/** Where an order instance is left: at a step, finished, or stuck on an incident with this message. */
export type OrderOutcome = 'at-approval' | 'at-shipping' | 'shipped' | 'rejected' | { fail: string };

/** Runs one order of `processId` (deployed with {@link orderXml}) to `outcome`; returns the instance id. */
export async function runOrder(
  request: APIRequestContext,
  processId: string,
  businessKey: string,
  outcome: OrderOutcome,
): Promise<string> {
  const id = await startInstance(request, processId, {
    businessKey,
    variables: { orderId: businessKey, amount: 40 + businessKey.length * 7 },
  });
  if (outcome === 'at-approval') {
    await userTaskOf(request, id);
    return id;
  }
  const task = await userTaskOf(request, id);
  const approved = outcome !== 'rejected';
  expect(
    (await request.post(`/api/user-tasks/${task.id}/complete`, { data: { variables: { approved } } })).status(),
  ).toBe(200);
  if (outcome === 'rejected') return waitStatus(request, id, 'completed');
  if (outcome === 'at-shipping') return id;
  const job = await activateJob(request, `ship-${processId}`, id);
  if (outcome === 'shipped') {
    expect(
      (
        await request.post(`/api/jobs/${job.key}/complete`, {
          data: { variables: { trackingNumber: `TRK-${businessKey}` } },
        })
      ).status(),
    ).toBe(200);
    return waitStatus(request, id, 'completed');
  }
  expect(
    (await request.post(`/api/jobs/${job.key}/fail`, { data: { retries: 0, errorMessage: outcome.fail } })).status(),
  ).toBe(200);
  await until(
    async () => (await (await request.get(`/api/instances/${id}`)).json()).incidents.length > 0,
    `an incident on ${id}`,
  );
  return id;
}

async function waitStatus(request: APIRequestContext, id: string, status: string): Promise<string> {
  await until(
    async () => (await (await request.get(`/api/instances/${id}`)).json()).status === status,
    `${id} ${status}`,
  );
  return id;
}

/** Deploys `processId` and runs a realistic mix of orders; returns the instance ids by business key. */
export async function seedOrders(request: APIRequestContext, processId: string): Promise<Record<string, string>> {
  await deploy(request, orderXml(processId));
  const plan: [string, OrderOutcome][] = [
    ['A-1001', 'shipped'],
    ['A-1002', 'shipped'],
    ['A-1003', 'rejected'],
    ['A-1004', 'shipped'],
    ['A-1005', { fail: 'Carrier API timed out: no answer from carrier.example within 30 s' }],
    ['A-1006', { fail: 'Address not found: "221B Baker Stret" has no match' }],
    ['A-1007', 'at-approval'],
    ['A-1008', 'at-approval'],
    // last: its job stays activatable, so no later activation in this seed picks it up
    ['A-1009', 'at-shipping'],
  ];
  const ids: Record<string, string> = {};
  for (const [bk, outcome] of plan) ids[bk] = await runOrder(request, processId, bk, outcome);
  return ids;
}
