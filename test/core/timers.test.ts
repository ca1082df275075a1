/**
 * Timers in the pure core with a fake clock: the one cycle rule for boundary and event sub-process
 * cycles (catch-up after downtime included), calendar durations and dates on catch events, and
 * cycle expressions faster than the model's minimum raising an incident.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import type { ProcessModel } from '../../engine/src/model/types.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

/** A job task T with a non-interrupting timer boundary event Tick leading to an end event. */
const withTick = (definition: string) =>
  bpmn(
    'p',
    `<bpmn:startEvent id="S" />${job('T', 't')}<bpmn:endEvent id="E" /><bpmn:endEvent id="TickEnd" />
     <bpmn:boundaryEvent id="Tick" attachedToRef="T" cancelActivity="false">${definition}</bpmn:boundaryEvent>
     ${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}${flow('f3', 'Tick', 'TickEnd')}`,
  );

/** A process that waits at catch event Wait. */
const waiting = (definition: string) =>
  bpmn(
    'p',
    `<bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Wait">${definition}</bpmn:intermediateCatchEvent>
     <bpmn:endEvent id="E" />${flow('f1', 'S', 'Wait')}${flow('f2', 'Wait', 'E')}`,
  );

function startAt(model: ProcessModel, when: string, variables: Record<string, unknown> = {}): CoreDriver {
  const d = new CoreDriver(model);
  d.now = at(when);
  return d.start(variables);
}

const dueTimes = (d: CoreDriver) => [...d.timers.values()].map(iso);
const ticks = (d: CoreDriver) => d.completed().filter((id) => id === 'Tick').length;

describe('boundary timer cycles follow the one cycle rule', () => {
  it('fire at their natural occurrences while on time', async () => {
    // given R/PT1H armed at 10:00
    const d = startAt(await compile(withTick(timer('timeCycle', 'R/PT1H'))), '2026-01-31T10:00:00Z');
    expect(dueTimes(d)).toEqual(['2026-01-31T11:00:00.000Z']);
    // when three hours pass, then it fired at 11, 12 and 13 and is next due at 14:00
    d.advance(3 * HOUR);
    expect(ticks(d)).toBe(3);
    expect(dueTimes(d)).toEqual(['2026-01-31T14:00:00.000Z']);
  });

  it('do not drift when a firing comes late by less than an interval', async () => {
    // given R/PT1H armed at 10:00
    const d = startAt(await compile(withTick(timer('timeCycle', 'R/PT1H'))), '2026-01-31T10:00:00Z');
    // when its 11:00 firing comes half an hour late (a busy scheduler, a short outage)
    d.resumeAfter(1.5 * HOUR);
    // then it fired once, and the next occurrence stays at 12:00 (not 12:30)
    expect(ticks(d)).toBe(1);
    expect(dueTimes(d)).toEqual(['2026-01-31T12:00:00.000Z']);
  });

  it('after downtime fire once for all missed occurrences, then a full interval after now', async () => {
    // given R5/PT1H armed at 10:00, fired on time at 11:00
    const d = startAt(await compile(withTick(timer('timeCycle', 'R5/PT1H'))), '2026-01-31T10:00:00Z');
    d.advance(HOUR);
    expect(ticks(d)).toBe(1);
    // when the engine is down from 11:00 to 14:30 (three occurrences missed)
    d.resumeAfter(3.5 * HOUR);
    // then it fires once, and next at 15:30, not at 12:00 or 15:00
    expect(ticks(d)).toBe(2);
    expect(dueTimes(d)).toEqual(['2026-01-31T15:30:00.000Z']);
    // and the missed occurrences used no repetitions: five firings in all
    d.advance(24 * HOUR);
    expect(ticks(d)).toBe(5);
    expect(d.timers.size).toBe(0);
    expect(d.active()).toEqual(['T']);
  });

  it('count calendar months from the previous due time: Jan 31, Feb 28, Mar 28', async () => {
    // given R/P1M armed on Jan 31
    const d = startAt(await compile(withTick(timer('timeCycle', 'R/P1M'))), '2026-01-31T10:00:00Z');
    expect(dueTimes(d)).toEqual(['2026-02-28T10:00:00.000Z']);
    // when it fires, then the next month counts from Feb 28
    d.advance(at('2026-02-28T10:00:00Z') - d.now);
    expect(dueTimes(d)).toEqual(['2026-03-28T10:00:00.000Z']);
  });

  it('with cron, fire at the next match and after downtime at the next match after now', async () => {
    // given a weekday 9:00 cron armed on Friday 2026-01-02 at 10:00
    const d = startAt(await compile(withTick(timer('timeCycle', '0 0 9 * * MON-FRI'))), '2026-01-02T10:00:00Z');
    expect(dueTimes(d)).toEqual(['2026-01-05T09:00:00.000Z']);
    // when the engine is down until Wednesday noon, then it fires once and next on Thursday 9:00
    d.resumeAfter(at('2026-01-07T12:00:00Z') - d.now);
    expect(ticks(d)).toBe(1);
    expect(dueTimes(d)).toEqual(['2026-01-08T09:00:00.000Z']);
  });

  it('continue a cycle stored in the old form (interval in ms) from now', async () => {
    // given a running cycle whose wait was written before cycles kept their text and due time
    const d = startAt(await compile(withTick(timer('timeCycle', 'R3/PT1H'))), '2026-01-31T10:00:00Z');
    const owner = Object.values(d.state.elements).find((e) => e.waits?.length)!;
    const wait = owner.waits![0]!;
    owner.waits = [{ ...wait, cycle: { left: 1, everyMs: 600_000 } }];
    // when it fires at 11:00, then the next is ten minutes later and it is the last one
    d.advance(HOUR);
    expect(dueTimes(d)).toEqual(['2026-01-31T11:10:00.000Z']);
    d.advance(HOUR);
    expect(ticks(d)).toBe(2);
    expect(d.timers.size).toBe(0);
  });
});

describe('event sub-process timer cycles follow the same rule', () => {
  it('a non-interrupting R3/PT10M start fires three times, collapsing missed occurrences', async () => {
    // given a process waiting at a job, with a non-interrupting cycle event sub-process
    const m = await compile(
      bpmn(
        'p',
        `<bpmn:startEvent id="S" />${job('T', 't')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'T')}${flow('f2', 'T', 'E')}
         <bpmn:subProcess id="Esp" triggeredByEvent="true">
           <bpmn:startEvent id="EspStart" isInterrupting="false">${timer('timeCycle', 'R3/PT10M')}</bpmn:startEvent>
           <bpmn:endEvent id="EspEnd" />${flow('f3', 'EspStart', 'EspEnd')}
         </bpmn:subProcess>`,
      ),
    );
    const d = startAt(m, '2026-01-31T10:00:00Z');
    // when the first firing comes an hour late, then it fires once and next ten minutes later
    d.resumeAfter(HOUR);
    expect(d.completed().filter((id) => id === 'EspEnd')).toHaveLength(1);
    expect(dueTimes(d)).toEqual(['2026-01-31T11:10:00.000Z']);
    d.advance(HOUR);
    expect(d.completed().filter((id) => id === 'EspEnd')).toHaveLength(3);
    expect(d.timers.size).toBe(0);
  });
});

describe('catch event timers', () => {
  it.each([
    ['a calendar month', timer('timeDuration', 'P1M'), '2026-02-28T10:00:00.000Z'],
    ['a date with an offset', timer('timeDate', '2026-02-01T00:00:00+01:00'), '2026-01-31T23:00:00.000Z'],
    [
      'a FEEL date in a zone',
      timer('timeDate', '=date and time("2026-07-01T12:00:00@Europe/Berlin")'),
      '2026-07-01T10:00:00.000Z',
    ],
    ['a FEEL duration', timer('timeDuration', '=duration("P1D")'), '2026-02-01T10:00:00.000Z'],
    ['a cycle (its first occurrence)', timer('timeCycle', 'R/P1D'), '2026-02-01T10:00:00.000Z'],
  ])('waits for %s', async (_, definition, due) => {
    // given an instance reaching the catch event on Jan 31 at 10:00
    const d = startAt(await compile(waiting(definition)), '2026-01-31T10:00:00Z');
    // then its timer is due at the calendar result
    expect(dueTimes(d)).toEqual([due]);
    // and the token moves on then, not a millisecond before
    d.advance(at(due) - d.now - 1);
    expect(d.active()).toEqual(['Wait']);
    d.advance(1);
    expect(d.state.status).toBe('completed');
  });

  it('refuses a firing of a timer that is no longer armed, visibly (TIMER_NOT_FOUND), and changes nothing', async () => {
    // given an instance whose timer fired and moved the token on to a job
    const xml = bpmn(
      'p',
      `<bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="Wait">${timer('timeDuration', 'PT1H')}</bpmn:intermediateCatchEvent>
       ${job('Next', 'next')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'Wait')}${flow('f2', 'Wait', 'Next')}${flow('f3', 'Next', 'E')}`,
    );
    const d = startAt(await compile(xml), '2026-01-31T10:00:00Z');
    const [key] = [...d.timers.keys()];
    d.advance(3_600_000);
    expect(d.active()).toEqual(['Next']);
    const history = d.history.length;
    // when the same timer fires again (a stale firing)
    const out = d.sendRaw({ type: 'FireTimer', timerKey: key! });
    // then it is refused with a reason, and nothing was recorded
    expect(out).toMatchObject({ ok: false, status: 404, code: 'TIMER_NOT_FOUND' });
    expect(d.history).toHaveLength(history);
  });

  it('records a timer kept while suspended whose element ended before the resume as refused, with why', async () => {
    // given a job with an interrupting message boundary and a timer boundary, suspended
    const xml = bpmn(
      'p',
      `<bpmn:startEvent id="S" />${job('Work', 'work')}<bpmn:endEvent id="E" /><bpmn:endEvent id="ByMessage" /><bpmn:endEvent id="ByTimer" />
       <bpmn:boundaryEvent id="Msg" attachedToRef="Work"><bpmn:messageEventDefinition messageRef="M" /></bpmn:boundaryEvent>
       <bpmn:boundaryEvent id="Late" attachedToRef="Work">${timer('timeDuration', 'PT1H')}</bpmn:boundaryEvent>
       ${flow('f1', 'S', 'Work')}${flow('f2', 'Work', 'E')}${flow('f3', 'Msg', 'ByMessage')}${flow('f4', 'Late', 'ByTimer')}`,
      '<bpmn:message id="M" name="stop"><bpmn:extensionElements><zeebe:subscription correlationKey="=1" /></bpmn:extensionElements></bpmn:message>',
    );
    const d = startAt(await compile(xml), '2026-01-31T10:00:00Z');
    d.send({ type: 'SuspendInstance' });
    // when the message arrives and then the timer comes due, both kept while suspended
    d.send({ type: 'CorrelateMessage', subscriptionKey: d.subscriptionOf('stop'), variables: {} });
    d.advance(3_600_000);
    d.send({ type: 'ResumeInstance' });
    // then the message interrupted the job, and the timer's firing is refused in the history, not lost silently
    expect(d.completed()).toEqual(['S', 'Msg', 'ByMessage']);
    expect(d.history.filter((h) => h.type === 'command-refused')).toEqual([
      expect.objectContaining({ command: 'FireTimer', code: 'TIMER_NOT_FOUND' }),
    ]);
    expect(d.state.status).toBe('completed');
  });

  it('raises an incident for a date without an offset instead of reading it in the server zone', async () => {
    // given a date from a variable, without offset
    const d = startAt(await compile(waiting(timer('timeDate', '=deadline'))), '2026-01-31T10:00:00Z', {
      deadline: '2026-12-01T10:00:00',
    });
    // then no timer is scheduled and an incident says why
    expect(d.timers.size).toBe(0);
    expect(d.incidents().map((i) => i.message)).toEqual([
      expect.stringMatching(
        /^Expected the timeDate of timer Wait to be an ISO 8601 date-time with an offset or a zone.*, but found "2026-12-01T10:00:00"$/,
      ),
    ]);
  });
});

describe('cycle expressions faster than the minimum raise an incident', () => {
  const fastTick = withTick(timer('timeCycle', '=cycleText'));

  it('with the default minimum of 1 s', async () => {
    // given a cycle from a variable that would fire every 10 ms
    const d = startAt(await compile(fastTick), '2026-01-31T10:00:00Z', { cycleText: 'R/PT0.01S' });
    // then the task's boundary is not armed and an incident names the timer and the minimum
    expect(d.timers.size).toBe(0);
    expect(d.incidents().map((i) => i.message)).toEqual([
      'Expected the timeCycle of timer Tick to be a cycle that fires at most once every 1 s (the minimum timer cycle, compile option minTimerCycleMs), not every 10 ms, but found "R/PT0.01S"',
    ]);
  });

  it('but not below a minimum the model was compiled with', async () => {
    // given the same model compiled with a minimum of 10 ms
    const { processes } = await compileBpmn(fastTick, { minTimerCycleMs: 10 });
    const d = startAt(processes[0]!, '2026-01-31T10:00:00Z', { cycleText: 'R3/PT0.01S' });
    // then the cycle runs
    d.advance(1000);
    expect(ticks(d)).toBe(3);
    expect(d.incidents()).toEqual([]);
  });
});
