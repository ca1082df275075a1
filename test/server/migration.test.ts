/**
 * Instance migration over real HTTP (issue 15, item 2): one instance waiting at a job, a user task, a
 * timer, a message and inside a sub-process at once moves to a version that adds a step after each,
 * and every branch continues there; a dry run lists what cannot migrate and why; a refused migration
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, waitFor, type TestServer } from './helpers.js';
import {
  bpmn,
  catchPaid,
  completeJob,
  deployXml,
  flow,
  history,
  instance,
  job,
  MESSAGE,
  startOne,
} from './operate-helpers.js';

/** Five branches waiting at once; `after(k)` is what follows branch k (nothing in v1, a job in v2). */
function model(after: (k: string) => string): string {
  const branch = (k: string, wait: string) =>
    `${wait}${after(k)}<bpmn:endEvent id="E_${k}" />${flow(`fa_${k}`, 'Fork', `W_${k}`)}${
      after(k)
        ? `${flow(`fb_${k}`, `W_${k}`, `After_${k}`)}${flow(`fc_${k}`, `After_${k}`, `E_${k}`)}`
        : flow(`fb_${k}`, `W_${k}`, `E_${k}`)
    }`;
  return bpmn(
    'mig',
    `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />${flow('f0', 'S', 'Fork')}
    ${branch('job', job('W_job', 'mig.job'))}
    ${branch('user', '<bpmn:userTask id="W_user" name="Review" />')}
    ${branch('timer', '<bpmn:intermediateCatchEvent id="W_timer"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')}
    ${branch('message', catchPaid('W_message'))}
    ${branch('sub', `<bpmn:subProcess id="W_sub"><bpmn:startEvent id="SS" />${job('In', 'mig.in')}${flow('s1', 'SS', 'In')}</bpmn:subProcess>`)}`,
    MESSAGE,
  );
}

const V1 = model(() => '');
const V2 = model((k) => job(`After_${k}`, `mig.after.${k}`));

describe('POST /api/instances/:id/migration', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    expect(await deployXml(t, V1)).toBe(1);
    expect(await deployXml(t, V2)).toBe(2);
  });
  afterAll(async () => {
    await t.close();
  });

  it('moves an instance waiting at a job, a user task, a timer, a message and in a sub-process to v2; each goes on there', async () => {
    // given an instance of v1 waiting in its five branches
    const id = await startOne(t, 'mig', { orderId: 'o-1' }, 1);
    const tasks = (await t.call('GET', `/api/user-tasks?instanceId=${id}`)).body;
    expect(tasks).toHaveLength(1);
    // when a dry run is asked for, then it says it would migrate every waiting element to itself
    const dry = await t.call('POST', `/api/instances/${id}/migration`, { json: { targetVersion: 2, dryRun: true } });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, ok: true, fromVersion: 1, toVersion: 2, problems: [] });
    expect(dry.body.mapping.map((m: { sourceElementId: string }) => m.sourceElementId).sort()).toEqual(
      ['In', 'W_job', 'W_message', 'W_sub', 'W_timer', 'W_user'].sort(),
    );
    expect((await instance(t, id)).version).toBe(1);
    // when it migrates
    const answer = await t.call('POST', `/api/instances/${id}/migration`, {
      json: { targetVersion: 2, reason: 'v2 adds a step after each branch' },
      headers: { 'x-baton-actor': 'dana' },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.instance).toMatchObject({ version: 2 });
    expect(answer.body.opened).toEqual([]);
    expect(answer.body.closed).toEqual([]);
    // then the same user task is still open, and every branch continues on v2
    expect((await t.call('GET', `/api/user-tasks?instanceId=${id}`)).body.map((x: { id: string }) => x.id)).toEqual([
      tasks[0].id,
    ]);
    await completeJob(t, 'mig.job');
    await completeJob(t, 'mig.after.job');
    await t.call('POST', `/api/user-tasks/${tasks[0].id}/complete`, { json: {} });
    await completeJob(t, 'mig.after.user');
    await t.call('POST', '/api/messages', { json: { name: 'paid', correlationKey: 'o-1' } });
    await completeJob(t, 'mig.after.message');
    await completeJob(t, 'mig.in');
    await completeJob(t, 'mig.after.sub');
    await waitFor(
      'the timer to fire on v2',
      async () => (await instance(t, id)).activeElements.includes('After_timer'),
      6000,
    );
    await completeJob(t, 'mig.after.timer');
    expect((await instance(t, id)).status).toBe('completed');
    expect(await history(t, id)).toContainEqual(
      expect.objectContaining({ type: 'process-migrated', fromVersion: 1, toVersion: 2, actor: 'dana' }),
    );
    const audit = (await t.call('GET', `/api/audit?action=migrate&targetId=${id}`)).body;
    expect(audit.items).toEqual([
      expect.objectContaining({ actor: 'dana', details: expect.objectContaining({ toVersion: 2 }) }),
    ]);
  });

  it('a dry run lists what cannot migrate and why; the migration itself is refused with the same list and changes nothing', async () => {
    // given v3 where the job task became a user task and the sub-process lost its task
    const v3 = V1.replace(job('W_job', 'mig.job'), '<bpmn:userTask id="W_job" />').replace(
      `${job('In', 'mig.in')}${flow('s1', 'SS', 'In')}`,
      '',
    );
    expect(await deployXml(t, v3)).toBe(3);
    const id = await startOne(t, 'mig', { orderId: 'o-2' }, 1);
    const before = await instance(t, id);
    const dry = await t.call('POST', `/api/instances/${id}/migration`, { json: { targetVersion: 3, dryRun: true } });
    expect(dry.body.ok).toBe(false);
    expect(dry.body.problems.map((p: { elementId: string }) => p.elementId).sort()).toEqual(['In', 'W_job']);
    const refused = await t.call('POST', `/api/instances/${id}/migration`, { json: { targetVersion: 3 } });
    expect(refused.status).toBe(409);
    expect(errorOf(refused).code).toBe('MIGRATION_REJECTED');
    expect(refused.body.error.details).toHaveLength(2);
    expect(await instance(t, id)).toEqual(before);
    // an explicit mapping of the sub-process's task to nothing is a problem too
    const mapped = await t.call('POST', `/api/instances/${id}/migration`, {
      json: { targetVersion: 2, dryRun: true, mappingInstructions: [{ sourceElementId: 'In', targetElementId: null }] },
    });
    expect(mapped.body.problems).toEqual([expect.objectContaining({ elementId: 'In' })]);
  });

  it('answers 404 for a version that does not exist and 400 for a bad body', async () => {
    const id = await startOne(t, 'mig', { orderId: 'o-3' }, 1);
    expect((await t.call('POST', `/api/instances/${id}/migration`, { json: { targetVersion: 9 } })).status).toBe(404);
    for (const body of [
      {},
      { targetVersion: 0 },
      { targetVersion: 2, dryRun: 'yes' },
      { targetVersion: 2, mappingInstructions: [{ sourceElementId: 'A' }] },
    ]) {
      const answer = await t.call('POST', `/api/instances/${id}/migration`, { json: body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
  });
});
