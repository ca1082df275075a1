/**
 * User task listeners (zeebe:taskListeners) as Camunda 8.8 runs them, through the pure core:
 * creating, assigning and completing transitions held by listener jobs that correct or deny.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import { bpmn, compile, CoreDriver, flow } from './harness.js';

function approval(assignment: string, ...listeners: [string, string][]): string {
  const items = listeners.map(([e, t]) => `<zeebe:taskListener eventType="${e}" type="${t}" />`).join('');
  return bpmn(
    'expense',
    `<bpmn:startEvent id="S" />
    <bpmn:userTask id="Approve" name="Approve expense">
      <bpmn:extensionElements><zeebe:userTask />${assignment}<zeebe:taskListeners>${items}</zeebe:taskListeners></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="E" />${flow('f1', 'S', 'Approve')}${flow('f2', 'Approve', 'E')}`,
  );
}

function jobKey(d: CoreDriver, type: string): string {
  return d.jobOf(type);
}

function headersOf(d: CoreDriver, key: string): Record<string, string> {
  const e = d.effects.find((x) => x.type === 'CreateJob' && x.job.key === key);
  return e && e.type === 'CreateJob' ? e.job.headers : {};
}

describe('user task listeners', () => {
  it('a creating listener sees the task data and corrects it before the task exists', async () => {
    const m = await compile(
      approval('<zeebe:assignmentDefinition candidateGroups="finance" />', ['creating', 'route-task']),
    );
    const d = new CoreDriver(m).start({ amount: 900 });
    // the task does not exist while its creating listener runs
    expect(d.userTasks.size).toBe(0);
    const key = jobKey(d, 'route-task');
    expect(headersOf(d, key)).toMatchObject({
      'io.camunda.zeebe:action': 'create',
      'io.camunda.zeebe:candidateGroups': '["finance"]',
      'io.camunda.zeebe:priority': '50',
    });
    const out = d.sendRaw({
      type: 'CompleteJob',
      jobKey: key,
      result: { corrections: { assignee: 'ada', candidateGroups: ['finance-leads'], priority: 80 } },
    });
    expect(out.ok).toBe(true);
    const created = d.effects.find((e) => e.type === 'CreateUserTask');
    expect(created).toMatchObject({ assignee: 'ada', candidateGroups: ['finance-leads'] });
    const ei = Object.values(d.state.elements).find((e) => e.elementId === 'Approve')!;
    expect(ei.taskData).toMatchObject({ assignee: 'ada', priority: 80 });
  });

  it('a completing listener can deny the completion: the task stays open and nothing moves', async () => {
    const m = await compile(approval('', ['completing', 'check-receipt']));
    const d = new CoreDriver(m).start();
    const [taskId] = [...d.userTasks.keys()];
    expect(d.send({ type: 'CompleteUserTask', taskId: taskId!, variables: { approved: true } })).toBeUndefined();
    // the completion waits for the listener; a second completion is refused meanwhile
    expect(d.send({ type: 'CompleteUserTask', taskId: taskId! })).toBe('USER_TASK_BUSY');
    d.send({
      type: 'CompleteJob',
      jobKey: jobKey(d, 'check-receipt'),
      result: { denied: true, deniedReason: 'no receipt' },
    });
    expect(d.userTasks.has(taskId!)).toBe(true);
    expect(d.vars()).not.toHaveProperty('approved');
    expect(d.history.find((h) => h.type === 'user-task-transition-denied')).toMatchObject({
      deniedReason: 'no receipt',
    });
    // when completed again and the listener agrees
    d.send({ type: 'CompleteUserTask', taskId: taskId!, variables: { approved: true } });
    d.send({ type: 'CompleteJob', jobKey: jobKey(d, 'check-receipt') });
    expect(d.vars()).toMatchObject({ approved: true });
    expect(d.state.status).toBe('completed');
  });

  it('an assigning listener corrects a claim, and runs for the assignee the process sets', async () => {
    const m = await compile(
      approval('<zeebe:assignmentDefinition assignee="=owner" />', ['assigning', 'balance-load']),
    );
    const d = new CoreDriver(m).start({ owner: 'bob' });
    // the task is created unassigned; the process's assignee goes through the assigning listener
    expect(d.effects.find((e) => e.type === 'CreateUserTask')).toMatchObject({ assignee: null });
    expect(headersOf(d, jobKey(d, 'balance-load'))).toMatchObject({ 'io.camunda.zeebe:assignee': 'bob' });
    d.send({ type: 'CompleteJob', jobKey: jobKey(d, 'balance-load'), result: { corrections: { assignee: 'carol' } } });
    expect(d.effects.filter((e) => e.type === 'UpdateUserTask').at(-1)).toMatchObject({ assignee: 'carol' });
    const [taskId] = [...d.userTasks.keys()];
    // a claim by someone else is refused while carol holds it
    expect(d.send({ type: 'AssignUserTask', taskId: taskId!, assignee: 'dave' })).toBe('USER_TASK_ALREADY_CLAIMED');
    // unclaiming goes through the listener, which may deny it
    d.send({ type: 'AssignUserTask', taskId: taskId!, assignee: null });
    d.send({ type: 'CompleteJob', jobKey: jobKey(d, 'balance-load'), result: { denied: true } });
    const ei = Object.values(d.state.elements).find((e) => e.elementId === 'Approve')!;
    expect(ei.taskData?.assignee).toBe('carol');
  });

  it('refuses variables and a denied creation from a listener job, and a job result for an ordinary job', async () => {
    const m = await compile(approval('', ['creating', 'route-task']));
    const d = new CoreDriver(m).start();
    const key = jobKey(d, 'route-task');
    const withVars = d.sendRaw({ type: 'CompleteJob', jobKey: key, variables: { x: 1 } });
    expect(!withVars.ok && withVars.code).toBe('INVALID_JOB_RESULT');
    const denied = d.sendRaw({ type: 'CompleteJob', jobKey: key, result: { denied: true } });
    expect(!denied.ok && denied.code).toBe('INVALID_JOB_RESULT');
  });

  it('a failing listener raises an incident; its retry runs that listener again', async () => {
    const m = await compile(approval('', ['completing', 'audit']));
    const d = new CoreDriver(m).start();
    const [taskId] = [...d.userTasks.keys()];
    d.send({ type: 'CompleteUserTask', taskId: taskId! });
    d.send({ type: 'FailJob', jobKey: jobKey(d, 'audit'), retries: 0, errorMessage: 'audit store down' });
    expect(d.incidents()[0]).toMatchObject({ type: 'JOB_NO_RETRIES', elementId: 'Approve' });
    d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id, retries: 1 });
    d.send({ type: 'CompleteJob', jobKey: jobKey(d, 'audit') });
    expect(d.state.status).toBe('completed');
  });

  it('refuses canceling listeners at deploy, and warns that updating listeners never run', async () => {
    const result = await compileBpmn(approval('', ['canceling', 'x'], ['updating', 'y']));
    expect(result.problems.map((p) => p.message).join()).toMatch(/no canceling task listener on Approve/);
    expect(result.warnings.map((p) => p.message).join()).toMatch(/updating task listener on Approve never runs/);
  });
});

describe('a task listener whose type cannot be evaluated', () => {
  it('raises an incident whose retry runs the whole transition again from its start', async () => {
    const m = await compile(approval('', ['creating', 'first'], ['creating', '=secondType']));
    const d = new CoreDriver(m).start();
    d.send({ type: 'CompleteJob', jobKey: d.jobOf('first'), result: { corrections: { priority: 99 } } });
    expect(d.incidents()[0]?.type).toBe('EXPRESSION_FAILED');
    d.send({ type: 'SetVariables', variables: { secondType: 'second' } });
    d.send({ type: 'RetryIncident', incidentId: d.incidents()[0]!.id });
    // the first listener runs again, and sees the data as it was before its correction
    expect(headersOf(d, d.jobOf('first'))['io.camunda.zeebe:priority']).toBe('50');
    d.send({ type: 'CompleteJob', jobKey: d.jobOf('first') });
    d.send({ type: 'CompleteJob', jobKey: d.jobOf('second') });
    expect(d.userTasks.size).toBe(1);
  });
});
