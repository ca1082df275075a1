/**
 * Job types answered by test doubles, run in-process by the engine like any handler: a double
 * completes the job with variables, fails it, or throws a BPMN error. Job types without a double
 * are left waiting, as for an external worker; the test can answer those one by one.
 *
 * @example
 *   engine.jobs.onType('charge-card', { charged: true });
 *   engine.jobs.onType('reserve-stock', (job) => (job.variables.qty > 10 ? bpmnError('OUT_OF_STOCK') : complete()));
 *   engine.jobs.onType('ship', fail('carrier down'));
 *   expect(engine.jobs.calls('charge-card')).toHaveLength(1);
 */
import type { JobView } from '../runtime/api-types.js';
import { BpmnError } from '../runtime/bpmn-error.js';
import type { Engine } from '../runtime/engine.js';

type Variables = Record<string, unknown>;

/** What a double answers a job with. */
export type JobAnswer =
  | { readonly kind: 'complete'; readonly variables?: Variables }
  | { readonly kind: 'fail'; readonly message: string }
  | { readonly kind: 'bpmnError'; readonly code: string; readonly message?: string; readonly variables?: Variables };

/**
 * A double: a fixed answer, variables to complete with, or a function of the job returning either
 * (it may also throw a BpmnError or any error, as a real handler would).
 */
export type JobDouble =
  JobAnswer | Variables | ((job: JobView) => JobAnswer | Variables | void | Promise<JobAnswer | Variables | void>);

/** Completes the job, with variables if given. */
export function complete(variables?: Variables): JobAnswer {
  return { kind: 'complete', ...(variables ? { variables } : {}) };
}

/** Fails the job: one retry less (after a back-off of 1 s of clock time); at none left, an incident. */
export function fail(message: string): JobAnswer {
  return { kind: 'fail', message };
}

/** Throws a BPMN error, caught by an error boundary or event sub-process with this code. */
export function bpmnError(code: string, message?: string, variables?: Variables): JobAnswer {
  return { kind: 'bpmnError', code, ...(message ? { message } : {}), ...(variables ? { variables } : {}) };
}

const KINDS = new Set(['complete', 'fail', 'bpmnError']);

function isAnswer(v: unknown): v is JobAnswer {
  return typeof v === 'object' && v !== null && KINDS.has((v as { kind?: unknown }).kind as string);
}

export class JobDoubles {
  private readonly doubles = new Map<string, JobDouble>();
  private readonly seen = new Map<string, JobView[]>();

  constructor(
    private readonly engine: Engine,
    private readonly settle: () => Promise<void>,
  ) {}

  /** Answers jobs of `type` with `double` from now on (replacing an earlier one), including jobs already waiting. */
  onType(type: string, double: JobDouble): this {
    const known = this.doubles.has(type);
    this.doubles.set(type, double);
    if (!known) this.engine.handle(type, (job) => this.answer(type, job));
    return this;
  }

  /** The jobs of `type` the doubles answered, in order. */
  calls(type: string): readonly JobView[] {
    return this.seen.get(type) ?? [];
  }

  /** Activates one waiting job of `type` (a type without a double) and completes it; then the engine comes to rest. */
  complete(type: string, variables?: Variables): Promise<JobView> {
    return this.answerWaiting(type, (job) => this.engine.completeJob(job.key, variables));
  }

  /** Activates one waiting job of `type` and fails it (`retries` left, default one less, no back-off). */
  fail(type: string, message: string, retries?: number): Promise<JobView> {
    return this.answerWaiting(type, (job) =>
      this.engine.failJob(job.key, { errorMessage: message, retries: retries ?? job.retries - 1 }),
    );
  }

  /** Activates one waiting job of `type` and throws the BPMN error `code` for it. */
  throwError(type: string, code: string, message?: string, variables?: Variables): Promise<JobView> {
    return this.answerWaiting(type, (job) =>
      this.engine.throwJobError(job.key, {
        errorCode: code,
        ...(message ? { errorMessage: message } : {}),
        ...(variables ? { variables } : {}),
      }),
    );
  }

  private async answerWaiting(type: string, answer: (job: JobView) => Promise<void>): Promise<JobView> {
    if (this.doubles.has(type))
      throw new Error(`Jobs of type ${type} are answered by a double (onType), not one by one from the test`);
    await this.settle();
    const [job] = await this.engine.activateJobs({ type, worker: 'test', maxJobs: 1, lockMs: 60_000 });
    if (!job) throw new Error(`Expected a job of type ${type} waiting, but there is none`);
    await answer(job);
    await this.settle();
    return job;
  }

  private async answer(type: string, job: JobView): Promise<Variables | void> {
    const list = this.seen.get(type) ?? [];
    list.push(job);
    this.seen.set(type, list);
    const double = this.doubles.get(type)!;
    const result = typeof double === 'function' ? await double(job) : double;
    if (!isAnswer(result)) return result ?? undefined;
    if (result.kind === 'complete') return result.variables;
    if (result.kind === 'fail') throw new Error(result.message);
    throw new BpmnError(result.code, result.message ?? result.code, result.variables ?? {});
  }
}
