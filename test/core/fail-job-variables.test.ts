/**
 * A worker that fails a job may hand variables with the failure (Camunda's `/v2` job failure):
 * they are set local to the job's element instance, so the next attempt sees them and the process
 * scope does not.
 */
import { describe, expect, it } from 'vitest';
import { ROOT_KEY } from '../../engine/src/core/state.js';
import { bpmn, compile, CoreDriver, flow, job } from './harness.js';

describe('FailJob with variables', () => {
  it('sets them local to the job element instance, whether retries are left or not', async () => {
    // given a task with a job
    const model = await compile(
      bpmn(
        'fv',
        `<bpmn:startEvent id="S" />${job('A', 'a')}<bpmn:endEvent id="E" />${flow('f1', 'S', 'A')}${flow('f2', 'A', 'E')}`,
      ),
    );
    const d = new CoreDriver(model).start({ orderId: 'o-1' });
    const task = Object.values(d.state.elements).find((e) => e.elementId === 'A')!;
    // when the job fails with a variable and a retry left
    d.send({ type: 'FailJob', jobKey: d.jobOf('a'), retries: 1, variables: { attempt: 1 } });
    // then the variable is local to the task
    expect(d.state.vars[task.key]).toMatchObject({ attempt: 1 });
    expect(d.state.vars[ROOT_KEY]).not.toHaveProperty('attempt');
    // and when it fails again with none left, the new value is set and an incident raised
    d.send({ type: 'FailJob', jobKey: d.jobOf('a'), retries: 0, variables: { attempt: 2 } });
    expect(d.state.vars[task.key]).toMatchObject({ attempt: 2 });
    expect(d.incidents()).toHaveLength(1);
  });
});
