/**
 * An engine for tests: in memory (SQLite `:memory:`), on a {@link TestClock}, with job doubles.
 * Every call that drives the engine resolves once the engine is at rest (handlers answered, inbox
 * items applied, due timers fired), so the test reads the result right after.
 *
 * @example
 *   const engine = await createTestEngine();
 *   await engine.deploy(readFileSync('order.bpmn', 'utf8'));
 *   engine.jobs.onType('charge-card', { charged: true });
 *   const i = await engine.start('order', { amount: 30 });
 *   await engine.clock.advance('P7D');
 *   await expectInstance(i).toHaveCompleted('Charge card').toHaveNoIncidents();
 *   await engine.close();
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DeploymentView, InstanceView, UserTaskView } from '../runtime/api-types.js';
import type { DeploymentResource } from '../runtime/deploy.js';
import { openEngine, type Engine, type EngineOptions } from '../runtime/engine.js';
import { engineDriver, TestClock, type InstantInput } from './clock.js';
import { InstanceAssertion, type Expectation, type InstanceRef } from './expect.js';
import { JobDoubles } from './job-doubles.js';

export interface TestEngineOptions extends Omit<EngineOptions, 'now' | 'dbPath' | 'store'> {
  /** Where the clock starts (default: the real time when the engine opens). */
  readonly startAt?: InstantInput;
  /** A database address other than `:memory:` (a SQLite file or a postgres:// URL). */
  readonly dbPath?: string;
  /** How long (real time) the engine may take to come to rest before a call fails (default 10 s). */
  readonly settleTimeoutMs?: number;
}

type Variables = Record<string, unknown>;

export class TestEngine {
  /** The clock the engine reads: `await engine.clock.advance('P7D')`. */
  readonly clock: TestClock;
  /** Job doubles: `engine.jobs.onType('charge-card', { charged: true })`. */
  readonly jobs: JobDoubles;

  constructor(
    /** The engine itself, for everything the kit does not wrap. */
    readonly engine: Engine,
    clock: TestClock,
  ) {
    this.clock = clock;
    clock.attach(engineDriver(engine));
    this.jobs = new JobDoubles(engine, () => this.settle());
  }

  /** Resolves once the engine is at rest by the clock's time. */
  settle(): Promise<void> {
    return this.clock.settle();
  }

  /** Deploys BPMN text, or resources (BPMN, DMN, forms) together. */
  async deploy(input: string | readonly DeploymentResource[]): Promise<DeploymentView> {
    return (await this.engine.deploy(input)).deployment;
  }

  /** Deploys files (BPMN, DMN, forms) together, named by their file names. */
  deployFiles(...paths: string[]): Promise<DeploymentView> {
    return this.deploy(paths.map((p) => ({ name: basename(p), content: readFileSync(p, 'utf8') })));
  }

  /** Starts an instance of the latest version and lets it run; resolves with it where it now stands. */
  async start(
    processId: string,
    variables: Variables = {},
    opts: { businessKey?: string } = {},
  ): Promise<InstanceView> {
    const started = await this.engine.startInstance({ processId, variables, ...opts });
    await this.settle();
    return this.instance(started.id);
  }

  /** The instance as it stands now (throws when there is none). */
  async instance(ref: InstanceRef): Promise<InstanceView> {
    const id = typeof ref === 'string' ? ref : ref.id;
    const view = await this.engine.getInstance(id);
    if (!view) throw new Error(`Expected an instance ${id}, but there is none`);
    return tag(view, this);
  }

  /** Publishes a message and lets what it triggered run. */
  async publishMessage(
    name: string,
    opts: { correlationKey?: string; variables?: Variables; timeToLive?: string } = {},
  ): Promise<{ correlated: string[]; started: string[] }> {
    const r = await this.engine.publishMessage({ name, ...opts });
    await this.settle();
    return r;
  }

  /** Broadcasts a signal and lets what it triggered run. */
  async broadcastSignal(name: string, variables?: Variables): Promise<{ triggered: number }> {
    const r = await this.engine.broadcastSignal({ name, ...(variables ? { variables } : {}) });
    await this.settle();
    return r;
  }

  /** Open user tasks of the instance. */
  async userTasks(ref: InstanceRef): Promise<UserTaskView[]> {
    await this.settle();
    return this.engine.listUserTasks({ instanceId: typeof ref === 'string' ? ref : ref.id });
  }

  /** Completes the open user task of the instance at `element` (id or name) and lets the instance run on. */
  async completeUserTask(ref: InstanceRef, element: string, variables?: Variables): Promise<UserTaskView> {
    const tasks = await this.userTasks(ref);
    const task = tasks.find((t) => t.elementId === element || t.name === element);
    if (!task)
      throw new Error(
        `Expected an open user task ${element} in instance ${typeof ref === 'string' ? ref : ref.id}, but the open ones are: ${tasks.map((t) => t.name ?? t.elementId).join(', ') || 'none'}`,
      );
    await this.engine.completeUserTask(task.id, variables);
    await this.settle();
    return task;
  }

  /** Assertions on the instance: `await engine.expect(i).toHaveCompleted('Pay')`. */
  expect(ref: InstanceRef): Expectation {
    return new InstanceAssertion(this, ref);
  }

  async close(): Promise<void> {
    open.delete(this);
    await this.engine.close();
  }
}

/** Which test engine an instance view came from, for {@link expectInstance}. */
const origin = new WeakMap<object, TestEngine>();
const open = new Set<TestEngine>();

function tag(view: InstanceView, engine: TestEngine): InstanceView {
  origin.set(view, engine);
  return view;
}

/** The test engine of an instance view returned by the kit, else the only open one. */
export function engineOf(ref: InstanceRef): TestEngine {
  const known = typeof ref === 'object' ? origin.get(ref) : undefined;
  if (known) return known;
  if (open.size === 1) return [...open][0]!;
  throw new Error(
    open.size
      ? `Expected one open test engine to look up instance ${typeof ref === 'string' ? ref : ref.id} in, but ${open.size} are open: use engine.expect(instance)`
      : 'Expected an open test engine (createTestEngine), but there is none',
  );
}

/** Opens a started engine in memory on a test clock. */
export async function createTestEngine(opts: TestEngineOptions = {}): Promise<TestEngine> {
  const { startAt, settleTimeoutMs, dbPath, ...engineOpts } = opts;
  const clock = new TestClock(startAt ?? Date.now(), settleTimeoutMs);
  const engine = await openEngine({ ...engineOpts, dbPath: dbPath ?? ':memory:', now: clock.now });
  await engine.start();
  const t = new TestEngine(engine, clock);
  open.add(t);
  return t;
}

/**
 * Assertions on an instance the kit returned (or an id, when one test engine is open):
 * `await expectInstance(i).toHaveCompleted('Pay').toHaveNoIncidents()`.
 */
export function expectInstance(ref: InstanceRef): Expectation {
  return new InstanceAssertion(engineOf(ref), ref);
}
