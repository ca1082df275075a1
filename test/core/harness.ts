/**
 * A test driver for the pure core: compiles BPMN, runs commands through `execute` with a fake
 * clock, and keeps the effects' view of jobs, timers and subscriptions the way the runtime would.
 */
import type { Budgets } from '../../engine/src/core/budgets.js';
import type { Command } from '../../engine/src/core/commands.js';
import type { Effect, HistoryEvent } from '../../engine/src/core/effects.js';
import { execute, startInstance, type Outcome } from '../../engine/src/core/execute.js';
import { migrateInstance, type MappingInstruction, type MigrationOutcome } from '../../engine/src/core/migrate.js';
import type { CoreContext } from '../../engine/src/core/run.js';
import type { InstanceState } from '../../engine/src/core/state.js';
import { compileBpmn } from '../../engine/src/model/compile.js';
import type { ProcessModel } from '../../engine/src/model/types.js';

export function bpmn(processId: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D_${processId}" targetNamespace="http://baton.dev/test">
  ${extra}
  <bpmn:process id="${processId}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** `<serviceTask>` with a job type. */
export function job(id: string, type: string, extra = ''): string {
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${extra}</bpmn:extensionElements></bpmn:serviceTask>`;
}

export function flow(id: string, from: string, to: string, condition?: string): string {
  return condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
}

export async function compile(xml: string): Promise<ProcessModel> {
  const { processes, problems } = await compileBpmn(xml);
  if (problems.length) throw new Error(`model problems: ${JSON.stringify(problems)}`);
  return processes[0]!;
}

export class CoreDriver {
  state!: InstanceState;
  now = 1_000_000;
  readonly history: HistoryEvent[] = [];
  readonly jobs = new Map<string, { type: string; elementId: string }>();
  readonly timers = new Map<string, number>();
  readonly subscriptions = new Map<string, { kind: string; name: string; correlationKey?: string }>();
  readonly userTasks = new Map<string, string>();
  readonly effects: Effect[] = [];
  /** The randomness handed to the core (FEEL `random number()` and `uuid()`): fixed for tests. */
  random: () => number = () => 0.5;
  /** The FEEL budget handed to the core (undefined: the default). */
  feelBudget: number | undefined;
  private ids = 100;
  /** The budgets each command runs under (a small step budget by default, to stop endless loops fast). */
  budgets: Partial<Budgets> = { steps: 2000 };
  /** The run-time meter passed to each command: a fresh one per command; none by default. */
  meter: (() => () => number) | undefined;

  constructor(public model: ProcessModel) {}

  private ctx(): CoreContext {
    return {
      now: this.now,
      newInstanceId: () => String(this.ids++),
      budgets: this.budgets,
      ...(this.meter ? { elapsedMs: this.meter() } : {}),
      random: this.random,
      ...(this.feelBudget !== undefined ? { feelBudget: this.feelBudget } : {}),
    };
  }

  /** Starts the instance; at `startElementId` when given (a message, timer, signal or conditional start event). */
  start(variables: Record<string, unknown> = {}, callDepth?: number, startElementId?: string): this {
    const out = startInstance(
      this.model,
      {
        id: '1',
        processId: this.model.id,
        version: 1,
        definitionKey: `${this.model.id}:1`,
        businessKey: null,
        variables,
        ...(callDepth !== undefined ? { callDepth } : {}),
        ...(startElementId !== undefined ? { startElementId } : {}),
      },
      this.ctx(),
    );
    if (!out.ok) throw new Error(out.message);
    this.absorb(out.state, out.history, out.effects);
    return this;
  }

  /** Sends a command; returns the rejection code, if any. */
  send(cmd: Command): string | undefined {
    const out = execute(this.state, this.model, cmd, this.ctx());
    if (!out.ok) return out.code;
    this.absorb(out.state, out.history, out.effects);
    return undefined;
  }

  /** Sends a command and returns the core's whole answer (a refusal leaves the driver as it was). */
  sendRaw(cmd: Command): Outcome {
    const out = execute(this.state, this.model, cmd, this.ctx());
    if (out.ok) this.absorb(out.state, out.history, out.effects);
    return out;
  }

  /** Migrates the instance to `target` (as version `version`); on success the driver runs on the target. */
  migrate(target: ProcessModel, version: number, instructions: MappingInstruction[] = []): MigrationOutcome {
    const definitionKey = `${target.id}:${version}`;
    const out = migrateInstance(
      this.state,
      this.model,
      { definitionKey, version, model: target },
      instructions,
      this.ctx(),
      {
        actor: 'dana',
        reason: 'fixed version',
      },
    );
    if (out.ok) {
      this.model = target;
      this.absorb(out.state, out.history, out.effects);
    }
    return out;
  }

  private absorb(state: InstanceState, history: HistoryEvent[], effects: Effect[]): void {
    this.state = state;
    this.history.push(...history);
    this.effects.push(...effects);
    for (const e of effects) {
      if (e.type === 'CreateJob') this.jobs.set(e.job.key, { type: e.job.type, elementId: e.job.elementId });
      if (e.type === 'RemoveJob') this.jobs.delete(e.key);
      if (e.type === 'ScheduleTimer') this.timers.set(e.key, e.dueAt);
      if (e.type === 'CancelTimer') this.timers.delete(e.key);
      if (e.type === 'OpenSubscription')
        this.subscriptions.set(e.key, {
          kind: e.kind,
          name: e.name,
          ...(e.correlationKey !== undefined ? { correlationKey: e.correlationKey } : {}),
        });
      if (e.type === 'CloseSubscription') this.subscriptions.delete(e.key);
      if (e.type === 'CreateUserTask') this.userTasks.set(e.id, e.elementId);
      if (e.type === 'RemoveUserTask') this.userTasks.delete(e.id);
      if (e.type === 'MoveWork' && e.kind === 'job') this.jobs.get(e.key)!.elementId = e.elementId;
      if (e.type === 'MoveWork' && e.kind === 'userTask') this.userTasks.set(e.key, e.elementId);
    }
  }

  jobOf(type: string): string {
    const found = [...this.jobs].find(([, j]) => j.type === type);
    if (!found) throw new Error(`no job of type ${type}; open: ${JSON.stringify([...this.jobs.values()])}`);
    return found[0];
  }

  completeJob(type: string, variables?: Record<string, unknown>): this {
    const code = this.send({ type: 'CompleteJob', jobKey: this.jobOf(type), ...(variables ? { variables } : {}) });
    if (code) throw new Error(code);
    return this;
  }

  subscriptionOf(name: string): string {
    const found = [...this.subscriptions].find(([, s]) => s.name === name);
    if (!found) throw new Error(`no subscription ${name}`);
    return found[0];
  }

  /** Advances the fake clock and fires every timer due by then, in due order. */
  advance(ms: number): this {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers].filter(([, at]) => at <= until).sort((a, b) => a[1] - b[1])[0];
      if (!due) break;
      this.now = Math.max(this.now, due[1]);
      this.timers.delete(due[0]);
      this.send({ type: 'FireTimer', timerKey: due[0] });
    }
    this.now = until;
    return this;
  }

  /**
   * The engine was down (or the instance suspended) for `ms`: the clock jumps, then every timer due
   * by then fires once at the new time, as a scheduler catching up would fire it.
   */
  resumeAfter(ms: number): this {
    this.now += ms;
    const due = [...this.timers].filter(([, at]) => at <= this.now).sort((a, b) => a[1] - b[1]);
    for (const [key] of due) {
      this.timers.delete(key);
      this.send({ type: 'FireTimer', timerKey: key });
    }
    return this;
  }

  ofType(type: string): string[] {
    return this.history
      .filter((h) => h.type === type && h.elementId && this.model.elements[h.elementId])
      .map((h) => h.elementId!);
  }

  completed(): string[] {
    return this.ofType('element-completed');
  }
  terminated(): string[] {
    return this.ofType('element-terminated');
  }
  active(): string[] {
    return Object.values(this.state.elements)
      .filter((e) => e.key !== '1')
      .map((e) => e.elementId);
  }
  vars(): Record<string, unknown> {
    return this.state.vars['1'] ?? {};
  }
  incidents() {
    return Object.values(this.state.incidents);
  }
}
