/**
 * Timer values refused at deploy, each with its element id and line: malformed or offset-less
 * dates, cycles faster than the minimum (compile option minTimerCycleMs), absurd repetition counts,
 * cron expressions that never match, and timer start expressions (evaluated at deploy, as in
 * Camunda 8).
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import { around, compileProcess, lineOf, only, processXml } from './bpmn-helpers.js';

const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

/** A user task U with a non-interrupting timer boundary event B (on its own line). */
const boundary = (definition: string) =>
  [
    around('U', '<bpmn:userTask id="U"/>'),
    `<bpmn:boundaryEvent id="B" attachedToRef="U" cancelActivity="false">${definition}</bpmn:boundaryEvent>`,
    '<bpmn:endEvent id="BE"/><bpmn:sequenceFlow id="F3" sourceRef="B" targetRef="BE"/>',
  ].join('\n');

/** A timer start event TS (on its own line). */
const startTimer = (definition: string) =>
  [
    `<bpmn:startEvent id="TS">${definition}</bpmn:startEvent>`,
    '<bpmn:endEvent id="E"/><bpmn:sequenceFlow id="F1" sourceRef="TS" targetRef="E"/>',
  ].join('\n');

describe('timer values refused at deploy', () => {
  it.each([
    // issue 9: as a start timer this created about 1,900 instances in 3 s
    [
      'a 1 ms cycle on a boundary event',
      'B',
      boundary(timer('timeCycle', 'R999999/PT0.001S')),
      'Expected the timeCycle of timer B to be a cycle that fires at most once every 1 s (the minimum timer cycle, compile option minTimerCycleMs), not every 1 ms, but found "R999999/PT0.001S"',
    ],
    [
      'a 100 ms cycle on a start event',
      'TS',
      startTimer(timer('timeCycle', 'R/PT0.1S')),
      'Expected the timeCycle of timer TS to be a cycle that fires at most once every 1 s (the minimum timer cycle, compile option minTimerCycleMs), not every 100 ms, but found "R/PT0.1S"',
    ],
    [
      'a repetition count Camunda 8 cannot hold',
      'B',
      boundary(timer('timeCycle', 'R2147483648/PT1H')),
      'Expected the timeCycle of timer B to be a repetition count of at most 2147483647 (as in Camunda 8), but found "R2147483648/PT1H"',
    ],
    [
      'a date without offset',
      'TS',
      startTimer(timer('timeDate', '2026-12-01T10:00:00')),
      'Expected the timeDate of timer TS to be an ISO 8601 date-time with an offset or a zone, such as 2026-12-01T10:00:00Z, 2026-12-01T10:00:00+01:00 or 2026-12-01T10:00:00+01:00[Europe/Berlin], but found "2026-12-01T10:00:00"',
    ],
    [
      'a cron expression that never matches',
      'B',
      boundary(timer('timeCycle', '0 0 0 31 2 *')),
      'Expected the timeCycle of timer B to be a cron expression with six fields (second minute hour day-of-month month day-of-week) such as 0 0 9-17 * * MON-FRI that matches some date (this one never does), but found "0 0 0 31 2 *"',
    ],
    [
      'a start timer expression that evaluates to a fast cycle',
      'TS',
      startTimer(timer('timeCycle', '="R/PT0.5S"')),
      'Expected the timeCycle of timer TS to be a cycle that fires at most once every 1 s (the minimum timer cycle, compile option minTimerCycleMs), not every 500 ms, but found "R/PT0.5S"',
    ],
    [
      'a start timer expression that evaluates to a date without offset',
      'TS',
      startTimer(timer('timeDate', '=string(date and time("2026-12-01T10:00:00"))')),
      'Expected the timeDate of timer TS to be an ISO 8601 date-time with an offset or a zone, such as 2026-12-01T10:00:00Z, 2026-12-01T10:00:00+01:00 or 2026-12-01T10:00:00+01:00[Europe/Berlin], but found "2026-12-01T10:00:00"',
    ],
    [
      'a start timer expression that needs variables',
      'TS',
      startTimer(timer('timeCycle', '=cycleOf(customer)')),
      'Expected the timeCycle of timer TS to be an expression that evaluates to a timer value without variables, but found "=cycleOf(customer)"',
    ],
  ])('%s', async (_, id, body, message) => {
    // given a process with that timer, when compiled
    const xml = processXml(body);
    const result = await compileBpmn(xml);
    // then exactly that problem, on the timer's element and line
    expect(result.processes).toEqual([]);
    expect(result.problems).toEqual([{ elementId: id, line: lineOf(xml, `id="${id}"`), message }]);
  });
});

describe('timer values accepted at deploy', () => {
  it.each([
    ['a cron with a day-of-week range ending on Sunday', boundary(timer('timeCycle', '0 0 0 * * 5-7'))],
    ['a five-field cron', boundary(timer('timeCycle', '0 0 * * 5-7'))],
    ['a cron with L, W and #', boundary(timer('timeCycle', '0 0 0 LW * *'))],
    [
      'a calendar cycle with a zoned start',
      boundary(timer('timeCycle', 'R3/2026-03-01T09:00:00+01:00[Europe/Berlin]/P1M')),
    ],
    ['a one-second cycle', boundary(timer('timeCycle', 'R/PT1S'))],
    ['a date with a zone', startTimer(timer('timeDate', '2026-12-01T10:00:00+01:00[Europe/Berlin]'))],
    [
      'a start timer expression evaluating to a date-time',
      startTimer(timer('timeDate', '=date and time("2026-12-01T10:00:00Z")')),
    ],
    ['a boundary cycle expression (checked when armed)', boundary(timer('timeCycle', '=reminders'))],
  ])('%s', async (_, body) => {
    expect((await compileProcess(body)).problems).toEqual([]);
  });
});

describe('the minimum timer cycle is a compile option', () => {
  it('accepts a faster cycle below a lower minimum and records the minimum on the model', async () => {
    // given a 100 ms cycle, when compiled with a minimum of 100 ms
    const result = await compileBpmn(processXml(boundary(timer('timeCycle', 'R3/PT0.1S'))), { minTimerCycleMs: 100 });
    // then it compiles, and the model carries the minimum for cycle expressions
    expect(only(result).minTimerCycleMs).toBe(100);
  });

  it('refuses a cron expression firing every 10 s under a one-minute minimum', async () => {
    const result = await compileBpmn(processXml(boundary(timer('timeCycle', '*/10 * * * * *'))), {
      minTimerCycleMs: 60_000,
    });
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/at most once every 1 min .*not every 10 s/),
    ]);
  });

  it('refuses a negative minimum', async () => {
    await expect(compileBpmn(processXml(boundary('')), { minTimerCycleMs: -1 })).rejects.toThrow(
      /Expected minTimerCycleMs to be a number of ms of at least 0, but got -1/,
    );
  });
});
