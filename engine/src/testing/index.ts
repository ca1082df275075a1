/**
 * Baton's process testing kit (`import { createTestEngine, expectInstance } from 'baton/testing'`):
 * an in-memory engine on a clock the test moves, job types answered by doubles, and assertions
 * that read like the process. No dependency on a test runner: failures are node:assert
 * AssertionErrors. See docs/testing.md.
 *
 * @example
 *   const engine = await createTestEngine();
 *   await engine.deployFiles('processes/order.bpmn');
 *   engine.jobs.onType('charge-card', { charged: true });
 *   const order = await engine.start('order', { amount: 30 });
 *   await engine.clock.advance('P7D');
 *   await expectInstance(order).toHaveCompleted('Charge card', 'Ship').toHaveNoIncidents();
 *   await engine.close();
 */
export { createTestEngine, expectInstance, TestEngine } from './test-engine.js';
export type { TestEngineOptions } from './test-engine.js';
export { TestClock, ClockError, addDuration, toEpochMs } from './clock.js';
export type { DurationInput, InstantInput, ClockDriver } from './clock.js';
export { JobDoubles, complete, fail, bpmnError } from './job-doubles.js';
export type { JobAnswer, JobDouble } from './job-doubles.js';
export { describeInstance } from './expect.js';
export type { Expectation, InstanceRef, InstanceSnapshot } from './expect.js';
export { BpmnError } from '../runtime/bpmn-error.js';
