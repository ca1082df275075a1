/**
 * Metrics through a real scrape: a scripted run over HTTP (two processes, external workers, a
 * buffered message, compensation, an escalation, a timer, an incident, a cancellation), then
 * `GET /metrics` must hold exactly the expected series with exactly the expected labels.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  bpmn,
  chain,
  compensate,
  end,
  escalationDef,
  job,
  message,
  messageDef,
  start,
  timer,
} from '../semantics/helpers.js';
import { parseProm, sampleOf, seriesOf, type Sample } from '../support/prom.js';
import { startTestServer, waitFor, type TestServer } from './helpers.js';

const flowXml = bpmn(
  'obs_flow',
  [
    start(),
    job('Charge', 'obs.charge'),
    `<bpmn:intermediateThrowEvent id="Raise"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:intermediateThrowEvent>`,
    `<bpmn:intermediateCatchEvent id="Wait">${message('Go')}</bpmn:intermediateCatchEvent>`,
    `<bpmn:intermediateThrowEvent id="Undo">${compensate()}</bpmn:intermediateThrowEvent>`,
    end(),
    chain('Start', 'Charge', 'Raise', 'Wait', 'Undo', 'End'),
    `<bpmn:boundaryEvent id="Comp" attachedToRef="Charge">${compensate()}</bpmn:boundaryEvent>`,
    '<bpmn:task id="Refund" isForCompensation="true" />',
    '<bpmn:association id="A1" associationDirection="One" sourceRef="Comp" targetRef="Refund" />',
  ].join('\n'),
  escalationDef('Esc', 'LATE') + messageDef('Go', 'obs-go', '=key'),
);
const failXml = bpmn(
  'obs_fail',
  [start(), job('Boom', 'obs.boom', '', '', ''), end(), chain('Start', 'Boom', 'End')].join('\n'),
);
const timerXml = bpmn(
  'obs_timer',
  [
    start(),
    `<bpmn:intermediateCatchEvent id="Nap">${timer('timeDuration', 'PT0S')}</bpmn:intermediateCatchEvent>`,
    end(),
    chain('Start', 'Nap', 'End'),
  ].join('\n'),
);

describe('GET /metrics after a scripted run', () => {
  let t: TestServer;
  let samples: Sample[];
  let text: string;
  const ids: Record<string, string> = {};

  const ok = async (method: string, path: string, json: unknown = {}) => {
    const a = await t.call(method, path, method === 'GET' ? {} : { json });
    if (a.status >= 300) throw new Error(`${method} ${path}: ${a.status} ${a.text}`);
    return a.body;
  };
  const activate = async (type: string, n: number) => {
    const jobs: { key: string; instanceId: string }[] = [];
    await waitFor(`${n} jobs of ${type}`, async () => {
      jobs.push(...(await ok('POST', '/api/jobs/activate', { type, worker: 'w', maxJobs: n - jobs.length })).jobs);
      return jobs.length >= n;
    });
    return jobs;
  };
  const status = async (id: string) => (await ok('GET', `/api/instances/${id}`)).status as string;

  beforeAll(async () => {
    t = await startTestServer();
    for (const xml of [flowXml, failXml, timerXml]) {
      const a = await t.call('POST', '/api/deployments', { raw: xml, contentType: 'application/xml' });
      expect(a.status).toBeLessThan(300);
    }
    // a message kept for an hour before any instance waits for it
    await ok('POST', '/api/messages', { name: 'obs-go', correlationKey: 'k1', timeToLive: 'PT1H' });
    ids.a = (await ok('POST', '/api/processes/obs_flow/instances', { variables: { key: 'k1' } })).id;
    ids.b = (await ok('POST', '/api/processes/obs_flow/instances', { variables: { key: 'k2' } })).id;
    // one failure with retries left, then both jobs complete
    const [first, second] = await activate('obs.charge', 2);
    await ok('POST', `/api/jobs/${first!.key}/fail`, { worker: 'w', retries: 2, errorMessage: 'card declined' });
    await ok('POST', `/api/jobs/${second!.key}/complete`, { worker: 'w' });
    const [again] = await activate('obs.charge', 1);
    expect(again!.key).toBe(first!.key);
    await ok('POST', `/api/jobs/${again!.key}/complete`, { worker: 'w' });
    // a takes the buffered message as it starts waiting; b gets one published now
    await waitFor('a completed', async () => (await status(ids.a!)) === 'completed');
    await waitFor('b waiting', async () =>
      (await ok('GET', `/api/instances/${ids.b}/history`)).some((h: { elementId?: string }) => h.elementId === 'Wait'),
    );
    await ok('POST', '/api/messages', { name: 'obs-go', correlationKey: 'k2' });
    await waitFor('b completed', async () => (await status(ids.b!)) === 'completed');
    // c fails without retries (an incident stays open); d is cancelled while its job waits
    ids.c = (await ok('POST', '/api/processes/obs_fail/instances')).id;
    ids.d = (await ok('POST', '/api/processes/obs_fail/instances')).id;
    const boom = await activate('obs.boom', 2);
    const jobOfC = boom.find((j) => j.instanceId === ids.c)!;
    await ok('POST', `/api/jobs/${jobOfC.key}/fail`, { worker: 'w', retries: 0, errorMessage: 'boom' });
    await ok('POST', `/api/instances/${ids.d}/cancel`);
    ids.e = (await ok('POST', '/api/processes/obs_timer/instances')).id;
    await waitFor('timer instance completed', async () => (await status(ids.e!)) === 'completed');
    const scrape = await t.call('GET', '/metrics');
    expect(scrape.status).toBe(200);
    text = scrape.text;
    samples = parseProm(text);
  });
  afterAll(() => t?.close());

  it('counts started instances and instance durations per process and end state', () => {
    expect(seriesOf(samples, 'baton_instances_started_total')).toEqual([
      'process_id=obs_fail 2',
      'process_id=obs_flow 2',
      'process_id=obs_timer 1',
    ]);
    expect(seriesOf(samples, 'baton_instance_duration_seconds_count')).toEqual([
      'process_id=obs_fail,state=cancelled 1',
      'process_id=obs_flow,state=completed 2',
      'process_id=obs_timer,state=completed 1',
    ]);
  });

  it('times every completed step per process and element, and counts terminated ones', () => {
    const steps = seriesOf(samples, 'baton_element_duration_seconds_count').filter((s) => s.includes('obs_flow'));
    expect(steps).toEqual(
      ['Charge', 'End', 'Raise', 'Refund', 'Start', 'Undo', 'Wait'].map((e) => `element_id=${e},process_id=obs_flow 2`),
    );
    expect(
      sampleOf(samples, 'baton_element_duration_seconds_count', { process_id: 'obs_fail', element_id: 'Start' }),
    ).toBe(2);
    expect(
      sampleOf(samples, 'baton_element_duration_seconds_count', { process_id: 'obs_fail', element_id: 'Boom' }),
    ).toBeUndefined();
    expect(seriesOf(samples, 'baton_elements_terminated_total')).toEqual(['element_id=Boom,process_id=obs_fail 1']);
  });

  it('counts jobs, failures, retries and incidents by process, element and type', () => {
    expect(seriesOf(samples, 'baton_jobs_created_total')).toEqual([
      'element_id=Boom,job_type=obs.boom,process_id=obs_fail 2',
      'element_id=Charge,job_type=obs.charge,process_id=obs_flow 2',
    ]);
    expect(seriesOf(samples, 'baton_jobs_completed_total')).toEqual([
      'element_id=Charge,job_type=obs.charge,process_id=obs_flow 2',
    ]);
    expect(seriesOf(samples, 'baton_job_failures_total')).toEqual([
      'element_id=Boom,job_type=obs.boom,process_id=obs_fail 1',
      'element_id=Charge,job_type=obs.charge,process_id=obs_flow 1',
    ]);
    expect(seriesOf(samples, 'baton_job_retries_total')).toEqual([
      'element_id=Charge,job_type=obs.charge,process_id=obs_flow 1',
    ]);
    expect(seriesOf(samples, 'baton_incidents_created_total')).toEqual([
      'element_id=Boom,incident_type=JOB_NO_RETRIES,process_id=obs_fail 1',
    ]);
    expect(seriesOf(samples, 'baton_open_incidents')).toEqual(['process_id=obs_fail 1']);
  });

  it('counts compensations, escalations, messages and timers', () => {
    expect(seriesOf(samples, 'baton_compensations_total')).toEqual(['process_id=obs_flow 2']);
    expect(seriesOf(samples, 'baton_escalations_total')).toEqual(['process_id=obs_flow 2']);
    expect(sampleOf(samples, 'baton_messages_published_total')).toBe(2);
    expect(sampleOf(samples, 'baton_messages_buffered_total')).toBe(1);
    expect(seriesOf(samples, 'baton_messages_correlated_total')).toEqual(['process_id=obs_flow 2']);
    expect(seriesOf(samples, 'baton_timers_fired_total')).toEqual(['process_id=obs_timer 1']);
    expect(seriesOf(samples, 'baton_timer_lag_seconds_count')).toEqual(['process_id=obs_timer 1']);
  });

  it('reports no stuck instance while everything moved within the hour', () => {
    expect(seriesOf(samples, 'baton_stuck_instances')).toEqual([]);
    expect(sampleOf(samples, 'baton_stuck_after_seconds')).toBe(3600);
  });

  it('labels series only with bounded labels, never with an instance id', () => {
    const ours = samples.filter((s) => s.name.startsWith('baton_'));
    const names = new Set(ours.flatMap((s) => Object.keys(s.labels)));
    expect([...names].sort()).toEqual([
      'command',
      'element_id',
      'incident_type',
      'job_type',
      'le',
      'process_id',
      'state',
    ]);
    const values = new Set(ours.flatMap((s) => Object.entries(s.labels).flatMap(([k, v]) => (k === 'le' ? [] : [v]))));
    for (const id of Object.values(ids)) expect(values.has(id)).toBe(false);
  });

  it('ships alert rules and a dashboard that name only metrics of this scrape', () => {
    // the metric families the scrape declares (a histogram also answers to _bucket, _count and _sum)
    const families = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const exists = (name: string) => {
      if (families.has(name)) return true;
      const base = name.replace(/_(bucket|count|sum)$/, '');
      return base !== name && families.get(base) === 'histogram';
    };
    const docs = (name: string) =>
      readFileSync(fileURLToPath(new URL(`../../docs/observability/${name}`, import.meta.url)), 'utf8');
    const rules = parseYaml(docs('alerts.yml')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((r) => r.alert).sort()).toEqual([
      'BatonCommandLatency',
      'BatonIncidentRate',
      'BatonJobFailureRatio',
      'BatonOpenIncidents',
      'BatonStuckInstances',
      'BatonTimerLag',
    ]);
    const dashboard = JSON.parse(docs('grafana-dashboard.json')) as {
      panels: { targets: { expr: string }[] }[];
      templating: { list: { query?: unknown }[] };
    };
    const exprs = [
      ...alerts.map((r) => r.expr),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => JSON.stringify(v.query ?? '')),
    ];
    const named = new Set(exprs.flatMap((e) => e.match(/\bbaton_[a-z0-9_]+/g) ?? []));
    expect(named.size).toBeGreaterThan(15);
    expect([...named].filter((n) => !exists(n))).toEqual([]);
    // and the dashboard shows what the issue asks for: completion time, step success, retries, compensations, stuck
    for (const m of [
      'baton_instance_duration_seconds_bucket',
      'baton_element_duration_seconds_count',
      'baton_job_retries_total',
      'baton_compensations_total',
      'baton_stuck_instances',
    ])
      expect(named.has(m)).toBe(true);
  });
});
