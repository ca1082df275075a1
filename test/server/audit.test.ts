/**
 * The audit log over real HTTP (issue 15, item 6): every operator action — deploy, cancel, suspend,
 * resume, variable edit, incident retry, modification, migration, batch operation and its
 * cancellation — is recorded with actor, time, reason and target in the action's own transaction,
 * and `GET /api/audit` filters and pages it. With access control on, the actor is the token's name
 * whatever the client claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from './tokens.js';
import { bpmn, flow, job } from './operate-helpers.js';

const XML = (tag: string) =>
  bpmn(
    'aud',
    `<bpmn:startEvent id="S" />${job('A', 'aud.a')}${job(`B${tag}`, 'aud.b')}${flow('f1', 'S', 'A')}${flow('f2', 'A', `B${tag}`)}`,
  );

describe('the audit log', () => {
  let t: AuthServer;
  const json = (body: unknown) => ({
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-baton-actor': 'someone-else' },
  });
  beforeAll(async () => {
    t = await startAuthServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('records every operator action with the token name, time, reason and target; filters and pages', async () => {
    const started = Date.now();
    // deploy (with a reason header), twice: v1 and v2
    for (const tag of ['1', '2']) {
      const d = await t.as('modeler', 'POST', '/api/deployments', {
        body: XML(tag),
        headers: { 'content-type': 'application/xml', 'x-baton-reason': `release ${tag}` },
      });
      expect(d.status, d.text).toBe(201);
    }
    const start = await t.as('operator', 'POST', '/api/processes/aud/instances', json({ version: 1 }));
    const id = start.body.id as string;
    const ok = async (method: string, path: string, body: unknown) => {
      const a = await t.as('operator', method, path, json(body));
      expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
      return a.body;
    };
    await ok('POST', `/api/instances/${id}/suspend`, { reason: 'checking' });
    await ok('POST', `/api/instances/${id}/resume`, { reason: 'checked' });
    await ok('PATCH', `/api/instances/${id}/variables?reason=fix%20amount`, { amount: 5 });
    const jobs = await t.as('worker', 'POST', '/api/jobs/activate', json({ type: 'aud.a', maxJobs: 1 }));
    await t.as('worker', 'POST', `/api/jobs/${jobs.body.jobs[0].key}/fail`, json({ retries: 0 }));
    const incident = (await t.as('viewer', 'GET', `/api/instances/${id}`)).body.incidents[0];
    await ok('POST', `/api/incidents/${incident.id}/retry`, { reason: 'worker fixed' });
    await ok('POST', `/api/instances/${id}/modification`, {
      move: [{ sourceElementId: 'A', targetElementId: 'B1' }],
      reason: 'skip A',
    });
    await ok('POST', `/api/instances/${id}/migration`, {
      targetVersion: 2,
      mappingInstructions: [{ sourceElementId: 'B1', targetElementId: 'B2' }],
      reason: 'v2',
    });
    const batch = await ok('POST', '/api/batch-operations', {
      type: 'cancel',
      filter: { processId: 'aud', state: 'completed' },
      reason: 'tidy',
    });
    const other = await t.as('operator', 'POST', '/api/processes/aud/instances', json({}));
    await ok('POST', `/api/instances/${other.body.id}/cancel`, { reason: 'not needed' });

    // then every action is there, newest first, each with the token's name (not the header's) and its reason
    const all = (await t.as('viewer', 'GET', '/api/audit?limit=100')).body;
    const seen = all.items.map((e: { action: string; targetType: string; actor: string; reason: string }) => [
      e.action,
      e.targetType,
      e.actor,
      e.reason,
    ]);
    expect(seen.reverse()).toEqual([
      ['deploy', 'deployment', 'mona', 'release 1'],
      ['deploy', 'deployment', 'mona', 'release 2'],
      ['suspend', 'instance', 'olga', 'checking'],
      ['resume', 'instance', 'olga', 'checked'],
      ['set-variables', 'instance', 'olga', 'fix amount'],
      ['retry-incident', 'incident', 'olga', 'worker fixed'],
      ['modify', 'instance', 'olga', 'skip A'],
      ['migrate', 'instance', 'olga', 'v2'],
      ['batch-create', 'batch', 'olga', 'tidy'],
      ['cancel', 'instance', 'olga', 'not needed'],
    ]);
    const times = all.items.map((e: { time: string }) => Date.parse(e.time));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(started - 1000);
    expect(all.items.find((e: { action: string }) => e.action === 'batch-create').targetId).toBe(batch.id);
    expect(all.items.find((e: { action: string }) => e.action === 'set-variables').details).toEqual({
      names: ['amount'],
    });

    // filters and paging
    const q = async (query: string) => (await t.as('viewer', 'GET', `/api/audit?${query}`)).body;
    expect((await q(`targetType=instance&targetId=${id}`)).total).toBe(5);
    expect((await q('actor=mona')).items.map((e: { action: string }) => e.action)).toEqual(['deploy', 'deploy']);
    expect((await q('action=cancel')).items).toHaveLength(1);
    const page = await q('limit=3&offset=3');
    expect(page.total).toBe(10);
    expect(page.items.map((e: { seq: number }) => e.seq)).toEqual(
      all.items.slice(3, 6).map((e: { seq: number }) => e.seq),
    );
    expect((await q(`from=${new Date(Date.now() + 60_000).toISOString()}`)).total).toBe(0);
    expect((await q(`to=${started - 60_000}`)).total).toBe(0);
  });

  it('refuses bad filters with 400 and lets only viewers read', async () => {
    for (const query of ['from=yesterday', 'to=2026-01-01T10:00', 'limit=5000', 'offset=-1'])
      expect((await t.as('viewer', 'GET', `/api/audit?${query}`)).status, query).toBe(400);
    expect((await t.as('operator', 'GET', '/api/audit')).status).toBe(403);
    expect((await t.as(null, 'GET', '/api/audit')).status).toBe(401);
  });

  it('keeps no entry for an action that was refused', async () => {
    const before = (await t.as('viewer', 'GET', '/api/audit')).body.total;
    expect((await t.as('operator', 'POST', '/api/instances/99999/cancel', json({ reason: 'x' }))).status).toBe(404);
    expect((await t.as('viewer', 'GET', '/api/audit')).body.total).toBe(before);
  });
});
