/**
 * Request handling limits (issue 9, items 4 and 5): an unknown path answers 404 without reading the
 * body, a request body must arrive within the request timeout (also after an early 401 or 404 the
 * connection is closed, not held), and every `limit` has a documented maximum.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LIST_LIMIT } from '../../engine/src/server/validate.js';
import { errorOf, startTestServer, type TestServer } from './helpers.js';
import { startAuthServer, TOKENS, type AuthServer } from './tokens.js';

/** A raw connection that records what the server sent and when it closed. */
interface Probe {
  socket: Socket;
  received(): string;
  /** Resolves with the milliseconds from opening to the server closing the connection. */
  closed: Promise<number>;
}

function open(url: string): Promise<Probe> {
  const { hostname, port } = new URL(url);
  const opened = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('error', () => {});
      const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - opened)));
      resolve({ socket, received: () => text, closed });
    });
    socket.once('error', reject);
  });
}

/** Sends the head of a request announcing `length` body bytes, then one byte every 200 ms until closed. */
function trickle(probe: Probe, method: string, path: string, headers: Record<string, string>, length = 1000): void {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: test', `Content-Length: ${length}`];
  for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
  probe.socket.write(`${head.join('\r\n')}\r\n\r\n{`);
  const timer = setInterval(() => {
    if (probe.socket.destroyed || probe.socket.writableEnded) clearInterval(timer);
    else probe.socket.write(' ');
  }, 200);
  void probe.closed.then(() => clearInterval(timer));
}

/** The status code and JSON body of the first answer on a raw connection. */
function answerOf(raw: string): { status: number; body: any } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(body.indexOf('{')));
  } catch {
    parsed = undefined;
  }
  return { status, body: parsed };
}

const TIMEOUT_MS = 1_000;

describe('a slowly sent body', () => {
  let t: AuthServer;
  beforeAll(async () => {
    t = await startAuthServer({ requestTimeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is cut at the request timeout with 408 REQUEST_TIMEOUT and the connection closed', async () => {
    // given a request to a real route whose body arrives one byte every 200 ms
    const probe = await open(t.url);
    trickle(probe, 'POST', '/api/messages', {
      authorization: `Bearer ${TOKENS.operator}`,
      'content-type': 'application/json',
    });
    // then the server gives up after the timeout (plus its check interval), answering in the error shape
    const ms = await probe.closed;
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1_500);
    const answer = answerOf(probe.received());
    expect(answer.status).toBe(408);
    expect(answer.body?.error?.code).toBe('REQUEST_TIMEOUT');
    // and the server stays healthy
    expect((await t.as(null, 'GET', '/api/health')).status).toBe(200);
  });

  it.each([
    ['without a token', 'POST', '/api/messages', {}, 401],
    ['with a token lacking the role', 'POST', '/api/messages', { authorization: `Bearer ${TOKENS.viewer}` }, 403],
    ['to an unknown path', 'POST', '/api/no-such-thing', { authorization: `Bearer ${TOKENS.all}` }, 404],
    ['to a route that reads no body', 'GET', '/api/instances', { authorization: `Bearer ${TOKENS.viewer}` }, 200],
  ] as const)(
    '%s is answered at once and its connection closed, not held',
    async (_what, method, path, headers, status) => {
      // given a request answered without reading its body, whose body keeps trickling in
      const probe = await open(t.url);
      const sent = Date.now();
      trickle(probe, method, path, { ...headers, 'content-type': 'application/json' });
      // then the answer comes at once
      await expect.poll(() => answerOf(probe.received()).status, { timeout: 500, interval: 20 }).toBe(status);
      expect(Date.now() - sent).toBeLessThan(500);
      // and the connection is closed then, not held until the request timeout
      expect(await probe.closed).toBeLessThan(500);
    },
  );

  it('cannot hold a connection with a slowly sent request head either', async () => {
    // given a request head sent one line every 200 ms, never finished
    const probe = await open(t.url);
    probe.socket.write('GET /api/health HTTP/1.1\r\n');
    const timer = setInterval(() => probe.socket.write('X-Slow: 1\r\n'), 200);
    // then node's own limit (a second after the request timeout) closes it with a 408
    const ms = await probe.closed;
    clearInterval(timer);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(ms).toBeLessThan(TIMEOUT_MS + 2_500);
    expect(answerOf(probe.received()).status).toBe(408);
  });

  it('does not cut a long poll whose body arrived in time', async () => {
    // given a worker waiting 2.5 s (longer than the request timeout) for a job that never comes
    const answer = await t.as('worker', 'POST', '/api/jobs/activate', {
      body: JSON.stringify({ type: 'nothing.here', waitMs: 2_500 }),
      headers: { 'content-type': 'application/json' },
    });
    // then it gets its empty answer, not a 408
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ jobs: [] });
  });
});

describe('unknown paths', () => {
  let t: AuthServer;
  beforeAll(async () => {
    t = await startAuthServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answer 404 without reading the body, also with a valid token', async () => {
    for (const body of ['this is not JSON', '{"a":' + '1'.repeat(3_000_000) + '}']) {
      const answer = await t.as('all', 'POST', '/api/no-such-route', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(404);
      expect(errorOf(answer).code).toBe('NOT_FOUND');
    }
    expect((await t.as(null, 'POST', '/api/no-such-route', { body: 'x' })).status).toBe(401);
  });
});

describe('list limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['GET', '/api/instances?limit=', undefined],
    ['GET', '/api/user-tasks?limit=', undefined],
    ['GET', '/api/console/instances?limit=', undefined],
  ])('%s %sN answers 400 above the documented maximum', async (method, path) => {
    expect(MAX_LIST_LIMIT).toBe(1000);
    // when asking for more than the maximum
    for (const limit of [MAX_LIST_LIMIT + 1, 99_999_999_999_999]) {
      const answer = await t.call(method, `${path}${limit}`);
      // then a clear 400 names the field and the maximum
      expect(answer.status, `${path}${limit}`).toBe(400);
      const error = errorOf(answer);
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.details).toEqual([expect.objectContaining({ field: 'limit' })]);
      expect(error.message).toContain(String(MAX_LIST_LIMIT));
    }
    // and the maximum itself is fine
    expect((await t.call(method, `${path}${MAX_LIST_LIMIT}`)).status).toBe(200);
  });

  it('caps maxJobs of a job activation the same way', async () => {
    const over = await t.call('POST', '/api/jobs/activate', { json: { type: 't', maxJobs: MAX_LIST_LIMIT + 1 } });
    expect(over.status).toBe(400);
    expect(errorOf(over).details).toEqual([expect.objectContaining({ field: 'maxJobs' })]);
    const max = await t.call('POST', '/api/jobs/activate', { json: { type: 't', maxJobs: MAX_LIST_LIMIT } });
    expect(max.status).toBe(200);
  });
});
