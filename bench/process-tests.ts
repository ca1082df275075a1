/**
 * Workload (k), process tests: what a developer's test file of `n` process tests costs with the
 * testing kit (engine/src/testing). Each test opens a fresh engine on a test clock, deploys a
 * process, binds three job doubles, starts an instance, checks it waits at a three-day timer,
 * advances the clock by three days, asserts the path and the variables, and closes the engine.
 */
import { performance } from 'node:perf_hooks';
import { createTestEngine, expectInstance } from '../engine/src/testing/index.js';
import type { Measure } from './baton.js';

const TASK = (id: string, type: string) =>
  `<bpmn:serviceTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;

/** Reserve → Charge → wait three days → Ship → end. */
export const PROCESS_TEST_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs_k" targetNamespace="http://baton.bench">
<bpmn:process id="bench_k" isExecutable="true">
<bpmn:startEvent id="Start" />
${TASK('Reserve', 'reserve')}
${TASK('Charge', 'charge')}
<bpmn:intermediateCatchEvent id="Wait" name="Three days"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
${TASK('Ship', 'ship')}
<bpmn:endEvent id="End" />
<bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Reserve" />
<bpmn:sequenceFlow id="F2" sourceRef="Reserve" targetRef="Charge" />
<bpmn:sequenceFlow id="F3" sourceRef="Charge" targetRef="Wait" />
<bpmn:sequenceFlow id="F4" sourceRef="Wait" targetRef="Ship" />
<bpmn:sequenceFlow id="F5" sourceRef="Ship" targetRef="End" />
</bpmn:process>
</bpmn:definitions>`;

/** One process test, as a developer would write it. */
async function oneTest(i: number): Promise<void> {
  const t = await createTestEngine({ startAt: '2030-01-01T00:00:00Z' });
  try {
    await t.deploy(PROCESS_TEST_MODEL);
    t.jobs
      .onType('reserve', { reserved: true })
      .onType('charge', (job) => ({ charged: job.variables.amount }))
      .onType('ship', { shipped: true });
    const order = await t.start('bench_k', { amount: i });
    await expectInstance(order).toHaveCompleted('Reserve', 'Charge').toBeWaitingAt('Three days');
    await t.clock.advance('P3D');
    await expectInstance(order)
      .toBeCompleted()
      .toHaveCompletedInOrder('Charge', 'Three days', 'Ship')
      .toHaveVariables({ reserved: true, charged: i, shipped: true })
      .toHaveNoIncidents();
  } finally {
    await t.close();
  }
}

/** Runs `n` process tests one after another: tests per second, the seconds `n` of them take, CPU ms per test. */
export async function batonProcessTests(n: number): Promise<Measure> {
  await oneTest(-1); // warm-up: module loading and the first compilation are not a test's cost
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await oneTest(i);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  // CPU time too: on a shared machine the wall time also counts the waits for a core
  return { rate: n / seconds, seconds, cpuMs: (cpu.user + cpu.system) / 1000 / n, tests: n };
}
