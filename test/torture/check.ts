/**
 * The end-of-run checks of the crash torture: every instance reached its expected end, no element
 * completed more often than the model allows, every acknowledged message correlated once, every
 * timer fired once (and not early), and every job left exactly one side effect in the sink.
 */
import { call, listInstances, type Servers } from './server-process.js';

/** One problem found, with what is needed to reproduce it. */
export interface Finding {
  readonly kind: 'lost' | 'duplicated';
  readonly instance: string;
  readonly what: string;
}

/** What the driver knows at the end of the run. */
export interface RunRecord {
  /** Seed of the run; Idempotency-Keys are `torture-<seed>-<business key>`. */
  readonly seed: number;
  /** Business key (`k<i>`) → instance id answered to the start request (absent when never acknowledged). */
  readonly started: Map<string, string>;
  /** Business keys whose instances have `compensate = true`. */
  readonly compensating: Set<string>;
  /** messageId → business key, for messages acknowledged with a 2xx. */
  readonly acked: Map<string, string>;
}

/** Per-element effect and attempt counts from the sink. */
export interface SinkRow {
  instance_id: string;
  element_id: string;
  effects: number;
  attempts: number;
}

type History = { type: string; elementId?: string; time: string }[];

const COMMON = ['Start', 'Fork', 'InProc', 'Ext', 'Wait', 'Msg', 'Approve', 'Join', 'Route'];
const JOBS = ['InProc', 'Ext'];
const TIMER_MS = 1000;

/** Element → how many completions the path of this instance must show (absent: zero). */
export function expectedCompletions(compensate: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of [...COMMON, ...(compensate ? ['Throw_Compensate', 'Undo', 'End_Compensated'] : ['End_Done'])])
    out[e] = 1;
  return out;
}

/** Checks everything; returns the findings and a few counts for the report. */
export async function checkRun(
  server: Servers,
  rec: RunRecord,
  sink: SinkRow[],
): Promise<{ findings: Finding[]; redelivered: number; inProcessRedelivered: number; instances: number }> {
  const findings: Finding[] = [];
  const all = await listInstances(server, 'processId=torture');
  const byKey = new Map<string, any[]>();
  for (const i of all) byKey.set(i.businessKey, [...(byKey.get(i.businessKey) ?? []), i]);
  for (const [key, id] of rec.started) {
    const found = byKey.get(key) ?? [];
    if (!found.some((i) => i.id === id))
      findings.push({
        kind: 'lost',
        instance: id,
        what: `the start of ${key} was acknowledged but the instance is missing`,
      });
    if (found.length > 1)
      findings.push({
        kind: 'duplicated',
        instance: id,
        what: `${found.length} instances for business key ${key} (Idempotency-Key torture-${rec.seed}-${key}), acknowledged ${id}: ${found.map((i) => `${i.id} ${i.status} at ${JSON.stringify(i.activeElements)}`).join('; ')}`,
      });
  }
  const effects = new Map(sink.map((r) => [`${r.instance_id}/${r.element_id}`, r]));
  for (const instances of byKey.values()) {
    // the instances of a duplicated key (reported above) are not checked further: both wait for the
    // message of that key, which one of them may have taken alone, so one may never end
    if (instances.length > 1) continue;
    for (const inst of instances) findings.push(...(await checkInstance(server, inst, rec, effects)));
  }
  const acks = [...rec.acked.entries()].filter(([, key]) => !rec.started.has(key));
  for (const [messageId, key] of acks)
    findings.push({ kind: 'lost', instance: key, what: `message ${messageId} acknowledged for an unknown instance` });
  const redelivered = sink.reduce((n, r) => n + (r.attempts - r.effects), 0);
  const inProcessRedelivered = sink
    .filter((r) => r.element_id === 'InProc')
    .reduce((n, r) => n + (r.attempts - r.effects), 0);
  return { findings, redelivered, inProcessRedelivered, instances: all.length };
}

async function checkInstance(
  server: Servers,
  inst: any,
  rec: RunRecord,
  effects: Map<string, SinkRow>,
): Promise<Finding[]> {
  const out: Finding[] = [];
  const id = inst.id as string;
  const f = (kind: Finding['kind'], what: string) => out.push({ kind, instance: id, what });
  if (inst.status !== 'completed')
    f(
      'lost',
      `status ${inst.status}, active ${JSON.stringify(inst.activeElements)}, incidents ${JSON.stringify(inst.incidents)}`,
    );
  const history = (await call(server, 'GET', `/api/instances/${id}/history`)).body as History;
  const compensate = rec.compensating.has(inst.businessKey);
  const want = expectedCompletions(compensate);
  const got: Record<string, number> = {};
  for (const h of history)
    if (h.type === 'element-completed' && h.elementId && h.elementId !== 'Comp_Ext')
      got[h.elementId] = (got[h.elementId] ?? 0) + 1;
  for (const e of new Set([...Object.keys(want), ...Object.keys(got)])) {
    const n = got[e] ?? 0;
    const w = want[e] ?? 0;
    if (n > w) f('duplicated', `${e} completed ${n} times, the model allows ${w}: ${excerpt(history, e)}`);
    if (n < w && inst.status === 'completed') f('lost', `${e} completed ${n} times, expected ${w}`);
  }
  const ended = history.filter((h) => h.type === 'process-completed').length;
  if (ended > 1) f('duplicated', `process-completed ${ended} times`);
  out.push(...checkTimer(id, Date.parse(inst.startedAt), history));
  for (const e of [...JOBS, ...(compensate ? ['Undo'] : [])]) {
    const n = effects.get(`${id}/${e}`)?.effects ?? 0;
    if (n > 1) f('duplicated', `${n} distinct jobs left side effects for ${e}`);
    if (n === 0 && (got[e] ?? 0) > 0) f('lost', `${e} completed without a side effect in the sink`);
  }
  if (inst.status === 'completed' && inst.variables.msgFor !== inst.businessKey)
    f('lost', `message variables missing: msgFor = ${JSON.stringify(inst.variables.msgFor)}`);
  return out;
}

/**
 * The timer fires once (counted with the other elements), and not before its duration has passed.
 * Wait is armed in the start command itself, so the clock reading of that command (`startedAt`) is
 * the reference; history entries carry the time the command finished, which can be a few ms later.
 */
function checkTimer(id: string, startedAt: number, history: History): Finding[] {
  const fired = history.filter((h) => h.type === 'element-completed' && h.elementId === 'Wait');
  if (fired.length === 1 && Date.parse(fired[0]!.time) < startedAt + TIMER_MS) {
    return [
      {
        kind: 'duplicated',
        instance: id,
        what: `timer fired early: started ${new Date(startedAt).toISOString()}, fired ${fired[0]!.time}`,
      },
    ];
  }
  return [];
}

function excerpt(history: History, elementId: string): string {
  return JSON.stringify(history.filter((h) => h.elementId === elementId));
}
