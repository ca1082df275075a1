/**
 * Service, send, business-rule and script tasks with a `zeebe:taskDefinition`, and message throw
 * and end events carried out by a job: the element waits until a worker completes its job.
 * Script tasks with `zeebe:script` evaluate their FEEL expression instead.
 */
import type { ElementDef, Expr } from '../../model/types.js';
import { evalExpr, evalString } from '../feel.js';
import { complete } from '../lifecycle.js';
import type { Run } from '../run.js';
import type { ElementInstance } from '../state.js';
import type { ElementBehavior } from './element-behavior.js';

/** Creates the element's job. False when its type or retries could not be evaluated (incident raised). */
export function createJob(run: Run, ei: ElementInstance, el: ElementDef): boolean {
  return openJob(run, ei, el.job!, el.id, 'activate');
}

/** What a job is made from: the task's definition or an execution / task listener. */
export interface JobSource {
  readonly type: Expr;
  readonly retries: Expr;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Evaluates a job's type and retries in the scope of `ei` and creates it; on failure raises an
 * incident that `retry` resolves (run the activation again, or complete the element again).
 */
export function openJob(
  run: Run,
  ei: ElementInstance,
  job: JobSource,
  what: string,
  retry: 'activate' | 'complete',
): boolean {
  const vars = run.visible(ei.key);
  const type = evalString(job.type, vars, 'the job type', run.ctx);
  if (!type.ok) {
    run.incident(ei, 'EXPRESSION_FAILED', type, retry);
    return false;
  }
  const retriesVal = evalExpr(job.retries, vars, run.ctx);
  const retries = retriesVal.ok ? Number(retriesVal.value) : NaN;
  if (!Number.isInteger(retries) || retries < 0) {
    run.incident(
      ei,
      'EXPRESSION_FAILED',
      retriesVal.ok
        ? `Expected the retries of ${what} to be a whole number, but got ${JSON.stringify(retriesVal.value)}`
        : {
            ...retriesVal,
            message: `Expected the retries of ${what} to be a whole number, but got ${retriesVal.message}`,
          },
      retry,
    );
    return false;
  }
  const key = run.globalKey();
  ei.job = { key };
  run.effect({
    type: 'CreateJob',
    job: { key, type: type.value, elementKey: ei.key, elementId: ei.elementId, retries, headers: { ...job.headers } },
  });
  return true;
}

export const jobTask: ElementBehavior = {
  activate(run, ei, el) {
    if (el.script && !el.job) {
      runScript(run, ei, el);
      return;
    }
    createJob(run, ei, el);
  },
  trigger(run, ei, _el, t) {
    delete ei.job;
    complete(run, ei, t.variables);
  },
};

function runScript(run: Run, ei: ElementInstance, el: ElementDef): void {
  const script = el.script!;
  const r = run.evalIn(ei.key, script.expression);
  if (!r.ok) {
    run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
    return;
  }
  complete(run, ei, script.resultVariable ? { [script.resultVariable]: r.value } : undefined);
}
