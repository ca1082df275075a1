/**
 * bpmn-engine's side: the same shapes, in memory, nothing persisted. Each instance is one
 * `new Engine({ source })` executed to its end (bpmn-engine parses the source per engine, which is
 * how its documentation runs a process). Service tasks call `environment.services.work`.
 */
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { messageModel, userTaskModel } from './models.js';
import type { Measure } from './baton.js';
import { pool, settledHeap } from './stats.js';

const services = {
  work(_ctx: unknown, next: (err: unknown, result?: unknown) => void) {
    next(null, { ok: true });
  },
};

async function runOne(xml: string): Promise<void> {
  const engine = new Engine({ name: 'bench', source: xml, services, variables: { amount: 150 } } as never);
  const ended = new Promise<void>((resolve, reject) => {
    engine.once('end', () => resolve());
    engine.once('error', reject);
  });
  await engine.execute();
  await ended;
}

/** (a)–(c): completed instances per second, `concurrency` in flight. */
export async function peerFlow(xml: string, n: number, concurrency: number): Promise<Measure> {
  await pool(Math.max(10, Math.round(n / 10)), concurrency, () => runOne(xml));
  const t0 = performance.now();
  let done = 0;
  await pool(n, concurrency, async () => {
    await runOne(xml);
    done++;
  });
  const s = (performance.now() - t0) / 1000;
  if (done !== n) throw new Error(`Expected ${n} completed bpmn-engine instances, but ${done} completed`);
  return { rate: n / s, completed: done };
}

/** (d): `n` engines waiting at a user task or message catch; heap each, then resume them all. */
export async function peerWaiting(kind: 'user' | 'message', n: number): Promise<Measure> {
  const xml = kind === 'user' ? userTaskModel('peer') : messageModel('peer');
  const heap0 = await settledHeap();
  const rss0 = process.memoryUsage().rss;
  const waiting: { resume: () => void; ended: Promise<void> }[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const engine = new Engine({ name: `w${i}`, source: xml, variables: { key: `k${i}` } } as never);
    const listener = new EventEmitter();
    let api: { signal: () => void } | undefined;
    listener.on('wait', (a: { signal: () => void }) => {
      api = a;
    });
    const ended = new Promise<void>((resolve) => engine.once('end', () => resolve()));
    const execution = await engine.execute({ listener } as never);
    if (!api) throw new Error('Expected the bpmn-engine instance to wait, but it did not');
    const wait = api;
    waiting.push({ resume: kind === 'user' ? () => wait.signal() : () => execution.signal({ id: 'Msg' }), ended });
  }
  const startRate = n / ((performance.now() - t0) / 1000);
  const heap = (await settledHeap()) - heap0;
  const rss = process.memoryUsage().rss - rss0;
  const t1 = performance.now();
  await pool(n, 500, async (i) => {
    waiting[i]!.resume();
    await waiting[i]!.ended;
  });
  const resumeRate = n / ((performance.now() - t1) / 1000);
  return { heapPerInstance: heap / n, rssPerInstance: rss / n, startRate, resumeRate };
}
