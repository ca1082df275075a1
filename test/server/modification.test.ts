/**
 * Instance modification over real HTTP (issue 15, item 1): move a stuck token, start an element with
 * variables, refusals that change nothing, the history and the audit log with actor and reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startTestServer, type TestServer } from './helpers.js';
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

/** S → A (job mod.a) → B (message paid) → C (job mod.c) → E */
const LINE = bpmn(
  'mod_line',
  `<bpmn:startEvent id="S" />${job('A', 'mod.a')}${catchPaid('B')}${job('C', 'mod.c')}<bpmn:endEvent id="E" />
  ${flow('f1', 'S', 'A')}${flow('f2', 'A', 'B')}${flow('f3', 'B', 'C')}${flow('f4', 'C', 'E')}`,
  MESSAGE,
);

describe('POST /api/instances/:id/modification', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployXml(t, LINE);
  });
  afterAll(async () => {
    await t.close();
  });

  it('moves a token stuck at a message catch to the next task, recorded with who and why', async () => {
    // given an instance waiting for a message that will never come
    const id = await startOne(t, 'mod_line', { orderId: 'o-1' });
    await completeJob(t, 'mod.a');
    expect((await instance(t, id)).activeElements).toEqual(['B']);
    // when an operator moves the token from B to C
    const answer = await t.call('POST', `/api/instances/${id}/modification`, {
      json: { move: [{ sourceElementId: 'B', targetElementId: 'C' }], reason: 'payment system is down' },
      headers: { 'x-baton-actor': 'dana' },
    });
    // then the instance waits at C with its job, and the history and the audit log say who and why
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.activeElements).toEqual(['C']);
    expect(await history(t, id)).toContainEqual(
      expect.objectContaining({
        type: 'instance-modified',
        activated: ['C'],
        terminated: ['B'],
        actor: 'dana',
        reason: 'payment system is down',
      }),
    );
    const audit = await t.call('GET', `/api/audit?targetId=${id}&action=modify`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actor: 'dana',
        reason: 'payment system is down',
        targetType: 'instance',
        targetId: id,
      }),
    ]);
    // and the instance runs on to its end
    await completeJob(t, 'mod.c');
    expect((await instance(t, id)).status).toBe('completed');
  });

  it('lists the element instances, and terminates one by its key while starting another with variables', async () => {
    const id = await startOne(t, 'mod_line', { orderId: 'o-2' });
    const elements = (await t.call('GET', `/api/instances/${id}/element-instances`)).body;
    const a = elements.find((e: { elementId: string }) => e.elementId === 'A');
    expect(a).toMatchObject({ parent: '1', phase: 'active', waitsFor: ['job'] });
    const answer = await t.call('POST', `/api/instances/${id}/modification`, {
      json: {
        terminate: [{ elementKey: a.key }],
        activate: [{ elementId: 'C', variableInstructions: [{ variables: { skipped: 'A' } }] }],
      },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.activeElements).toEqual(['C']);
    expect(answer.body.variables).toMatchObject({ skipped: 'A' });
  });

  it('refuses what cannot be done, changing nothing: 409 for the state, 400 for the model', async () => {
    const id = await startOne(t, 'mod_line', { orderId: 'o-3' });
    const before = await instance(t, id);
    const refused = await t.call('POST', `/api/instances/${id}/modification`, {
      json: { terminate: [{ elementId: 'B' }], activate: [{ elementId: 'C' }] },
    });
    expect(refused.status).toBe(409);
    expect(errorOf(refused)).toMatchObject({ code: 'INVALID_MODIFICATION' });
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({ instruction: 'terminate[0]', elementId: 'B' }),
    ]);
    const invalid = await t.call('POST', `/api/instances/${id}/modification`, {
      json: { activate: [{ elementId: 'S' }] },
    });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid).message).toContain('start event');
    expect(await instance(t, id)).toEqual(before);
    expect((await t.call('GET', `/api/audit?targetId=${id}`)).body.total).toBe(0);
  });

  it.each([
    ['a body that is not an object', '[1]'],
    ['instructions that are not a list', '{"activate": {"elementId": "C"}}'],
    ['an instruction without its element', '{"activate": [{}]}'],
    ['an element id with a control character', '{"activate": [{"elementId": "C\\u0000"}]}'],
    ['both a key and an id to terminate', '{"terminate": [{"elementKey": "2", "elementId": "A"}]}'],
    [
      'variables that are not an object',
      '{"activate": [{"elementId": "C", "variableInstructions": [{"variables": 3}]}]}',
    ],
    ['too many instructions', JSON.stringify({ activate: Array.from({ length: 101 }, () => ({ elementId: 'C' })) })],
  ])('answers 400 to %s', async (_what, raw) => {
    const id = await startOne(t, 'mod_line', { orderId: 'o-4' });
    const answer = await t.call('POST', `/api/instances/${id}/modification`, { raw });
    expect(answer.status, answer.text).toBe(400);
    expect(errorOf(answer).code).toBe('INVALID_REQUEST');
  });

  it('answers 404 for an instance that does not exist', async () => {
    const answer = await t.call('POST', '/api/instances/424242/modification', {
      json: { activate: [{ elementId: 'C' }] },
    });
    expect(answer.status).toBe(404);
    expect((await t.call('GET', '/api/instances/424242/element-instances')).status).toBe(404);
  });
});
