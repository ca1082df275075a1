/**
 * A million instances waiting at a user task, in one durable SQLite file: start rate, RSS and heap,
 * disk, and the latency of one task list query and one completion at that size. Not part of the
 * default `npm run bench` (it writes ~1 GB): `node --expose-gc --import tsx bench/million.ts [N]`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../engine/src/runtime/engine.js';
const N = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'baton-million-'));
const path = join(dir, 'm.db');
const e = await openEngine({ dbPath: path });
await e.deploy(
  `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t"><bpmn:process id="wait" isExecutable="true"><bpmn:startEvent id="S"/><bpmn:userTask id="U"/><bpmn:endEvent id="E"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="U"/><bpmn:sequenceFlow id="f2" sourceRef="U" targetRef="E"/></bpmn:process></bpmn:definitions>`,
);
const t0 = performance.now();
let next = 0;
const worker = async () => {
  while (next < N) {
    next++;
    await e.startInstance({ processId: 'wait', variables: { n: next } });
  }
};
const report = (label: string) => {
  const m = process.memoryUsage();
  console.log(
    label,
    `started=${next}`,
    `rss=${(m.rss / 2 ** 20).toFixed(0)}MiB`,
    `heap=${(m.heapUsed / 2 ** 20).toFixed(0)}MiB`,
    `elapsed=${((performance.now() - t0) / 1000).toFixed(0)}s`,
  );
};
const timer = setInterval(() => report('progress'), 20_000);
await Promise.all(Array.from({ length: 500 }, worker));
clearInterval(timer);
global.gc?.();
report('done');
const waiting = (await e.listInstances({ processId: 'wait', status: 'active', limit: 1 })).total;
console.log(
  `waiting=${waiting} starts/s=${(N / ((performance.now() - t0) / 1000)).toFixed(0)} disk=${((statSync(path).size + (statSync(path + '-wal', { throwIfNoEntry: false })?.size ?? 0)) / 2 ** 20).toFixed(0)}MiB`,
);
// the task list and one completion still answer quickly at this size
const middle = String(Math.floor(N / 2));
const t1 = performance.now();
const [task] = await e.listUserTasks({ instanceId: middle });
const t2 = performance.now();
if (task) await e.completeUserTask(task.id, {});
console.log(
  `at ${N} waiting: task list query ${(t2 - t1).toFixed(1)} ms, one completion ${(performance.now() - t2).toFixed(1)} ms; status=${(await e.getInstance(middle))?.status}`,
);
await e.close();
rmSync(dir, { recursive: true, force: true });
