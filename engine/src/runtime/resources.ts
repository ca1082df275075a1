/**
 * Reads of deployed decisions and forms for the API: the lists, a decision's DMN, a form's schema,
 * a standalone evaluation of a decision (to test rules without a process), the form of a user task,
 * and the decisions an instance evaluated (from its history, for the console). All read committed
 * data; nothing here writes.
 */
import type { FeelEnv } from '../feel/index.js';
import { evaluateDecision } from '../decisions/evaluate.js';
import { visibleVariables } from '../core/run.js';
import type { DecisionRow, FormRow, Store } from '../storage/port.js';
import {
  EngineError,
  type DecisionEvaluationEntry,
  type DecisionEvaluationView,
  type DecisionView,
  type FormView,
  type UserTaskFormView,
} from './api-types.js';

/** What the reads need: the store, and the FEEL environment of a standalone evaluation. */
export interface ResourceReadDeps {
  readonly store: Store;
  readonly feelEnv: () => FeelEnv;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export async function listDecisions(d: ResourceReadDeps): Promise<DecisionView[]> {
  return (await d.store.read.decisions.all()).map((r) => ({
    decisionId: r.decisionId,
    version: r.version,
    name: r.name,
    versionTag: r.versionTag,
    decisionRequirementsId: r.decisionRequirementsId,
    key: r.key,
    deployedAt: iso(r.deployedAt),
  }));
}

/** The version asked for, or the latest; a 404 DECISION_NOT_FOUND when there is none. */
async function decisionVersion(d: ResourceReadDeps, decisionId: string, version?: number): Promise<DecisionRow> {
  const reads = d.store.read.decisions;
  const row = version === undefined ? await reads.latest(decisionId) : await reads.byVersion(decisionId, version);
  if (!row)
    throw new EngineError(
      404,
      'DECISION_NOT_FOUND',
      `Expected a deployed decision ${JSON.stringify(decisionId)}${version !== undefined ? ` with version ${version}` : ''}, but there is none`,
      [{ decisionId, ...(version !== undefined ? { version } : {}) }],
    );
  return row;
}

/** The DMN XML the decision version was deployed in. */
export async function decisionXml(d: ResourceReadDeps, decisionId: string, version?: number): Promise<string> {
  const row = await decisionVersion(d, decisionId, version);
  const drg = await d.store.read.decisions.requirements(row.decisionRequirementsKey);
  const resource = drg && (await d.store.read.definitions.resource(drg.deploymentId, drg.resourceName));
  if (!resource) throw new Error(`Expected the DMN resource of decision ${row.key} in the store, but it is missing`);
  return resource.content;
}

/**
 * Evaluates a deployed decision against `variables`, as a business rule task would but outside any
 * process: a failed evaluation (a hit policy violated, a FEEL error, the FEEL budget spent) is a
 * 400 DECISION_EVALUATION_FAILED with the audit so far.
 */
export async function evaluateDeployed(
  d: ResourceReadDeps,
  decisionId: string,
  req: { variables?: Record<string, unknown>; version?: number },
): Promise<DecisionEvaluationView> {
  const row = await decisionVersion(d, decisionId, req.version);
  const drg = await d.store.read.decisions.requirements(row.decisionRequirementsKey);
  if (!drg) throw new Error(`Expected requirements ${row.decisionRequirementsKey} in the store, but they are missing`);
  const answer = evaluateDecision(drg.graph, row.decisionId, req.variables ?? {}, d.feelEnv());
  if (!answer.ok)
    throw new EngineError(
      400,
      'DECISION_EVALUATION_FAILED',
      `Expected decision ${row.decisionId} (version ${row.version}) to evaluate, but ${answer.message}`,
      [
        {
          decisionId: answer.decisionId,
          ...(answer.budget ? { budget: answer.budget.budget, limit: answer.budget.limit } : {}),
          evaluations: answer.audit.decisions,
        },
      ],
    );
  return {
    decisionId: row.decisionId,
    version: row.version,
    key: row.key,
    result: answer.result,
    evaluations: answer.audit.decisions,
  };
}

export async function listForms(d: ResourceReadDeps): Promise<FormView[]> {
  return (await d.store.read.forms.all()).map((r) => ({
    formId: r.formId,
    version: r.version,
    versionTag: r.versionTag,
    key: r.key,
    deployedAt: iso(r.deployedAt),
  }));
}

/** The schema (the deployed JSON text) of a form version, the latest by default; 404 FORM_NOT_FOUND. */
export async function formSchema(d: ResourceReadDeps, formId: string, version?: number): Promise<string> {
  const reads = d.store.read.forms;
  const row = version === undefined ? await reads.latest(formId) : await reads.byVersion(formId, version);
  if (!row)
    throw new EngineError(
      404,
      'FORM_NOT_FOUND',
      `Expected a deployed form ${JSON.stringify(formId)}${version !== undefined ? ` with version ${version}` : ''}, but there is none`,
      [{ formId, ...(version !== undefined ? { version } : {}) }],
    );
  return contentOf(d, row);
}

async function contentOf(d: ResourceReadDeps, row: FormRow): Promise<string> {
  const resource = await d.store.read.definitions.resource(row.deploymentId, row.resourceName);
  if (!resource) throw new Error(`Expected the resource of form ${row.key} in the store, but it is missing`);
  return resource.content;
}

/**
 * The form of an open user task: the linked form version resolved when the task activated, or the
 * form embedded in the BPMN; 404 USER_TASK_NOT_FOUND, or FORM_NOT_FOUND for a task without one.
 */
export async function userTaskForm(d: ResourceReadDeps, taskId: string): Promise<UserTaskFormView> {
  const task = await d.store.read.work.userTask(taskId);
  const state = task && (await d.store.read.instances.state(task.instanceId));
  if (!task || !state)
    throw new EngineError(404, 'USER_TASK_NOT_FOUND', `Expected an open user task ${taskId}, but there is none`, [
      { id: taskId },
    ]);
  const variables = visibleVariables(state, task.elementKey);
  const formKey = state.elements[task.elementKey]?.form;
  if (formKey) {
    const row = await d.store.read.forms.byKey(formKey);
    if (!row) throw new Error(`Expected form ${formKey} of user task ${taskId} in the store, but it is missing`);
    const schema: unknown = JSON.parse(await contentOf(d, row));
    return { schema, formId: row.formId, version: row.version, key: row.key, embedded: false, variables };
  }
  const def = await d.store.read.definitions.byKey(state.definitionKey);
  const embedded = def?.model.elements[task.elementId]?.userTask?.embeddedForm;
  const text = embedded !== undefined ? def?.model.forms?.[embedded] : undefined;
  if (embedded === undefined || text === undefined)
    throw new EngineError(
      404,
      'FORM_NOT_FOUND',
      `Expected user task ${taskId} (${task.elementId}) to have a Camunda Form, but it has ${task.formKey ? `only the form key ${JSON.stringify(task.formKey)} of the application's own` : 'none'}`,
      [{ id: taskId, formKey: task.formKey }],
    );
  const schema: unknown = JSON.parse(text);
  const formId = (schema as { id?: unknown }).id;
  return {
    schema,
    formId: typeof formId === 'string' ? formId : embedded,
    version: null,
    key: null,
    embedded: true,
    variables,
  };
}

/** The decisions instance `instanceId` evaluated, oldest first; undefined when there is no such instance. */
export async function decisionEvaluations(
  d: ResourceReadDeps,
  instanceId: string,
): Promise<DecisionEvaluationEntry[] | undefined> {
  const row = await d.store.read.instances.row(instanceId);
  if (!row) return undefined;
  const def = await d.store.read.definitions.byKey(row.definitionKey);
  const history = await d.store.read.instances.history(instanceId);
  return history
    .filter((h) => h.type === 'decision-evaluated' || h.type === 'decision-evaluation-failed')
    .map((h) => {
      const data = h.data as Record<string, unknown>;
      return {
        seq: h.seq,
        time: iso(h.time),
        elementId: h.elementId,
        elementName: (h.elementId && def?.model.elements[h.elementId]?.name) || null,
        decisionId: data['decisionId'] as string,
        decisionName: (data['decisionName'] as string | null) ?? null,
        version: data['version'] as number,
        decisionKey: data['decisionKey'] as string,
        decisionRequirementsId: data['decisionRequirementsId'] as string,
        resultVariable: data['resultVariable'] as string,
        ...(h.type === 'decision-evaluated' ? { result: data['result'] } : { failure: data['failure'] as string }),
        evaluations: (data['evaluations'] as DecisionEvaluationEntry['evaluations']) ?? [],
      };
    });
}

/** The reads of this module bound to one store: what {@link EnginePort.resources} offers. */
export interface ResourceReads {
  listDecisions(): Promise<DecisionView[]>;
  /** The DMN XML of a decision version (the latest by default); 404 DECISION_NOT_FOUND. */
  decisionXml(decisionId: string, version?: number): Promise<string>;
  evaluateDecision(
    decisionId: string,
    req: { variables?: Record<string, unknown>; version?: number },
  ): Promise<DecisionEvaluationView>;
  listForms(): Promise<FormView[]>;
  /** The schema of a form version (the latest by default), as deployed; 404 FORM_NOT_FOUND. */
  formSchema(formId: string, version?: number): Promise<string>;
  userTaskForm(taskId: string): Promise<UserTaskFormView>;
  /** Undefined when there is no such instance. */
  decisionEvaluations(instanceId: string): Promise<DecisionEvaluationEntry[] | undefined>;
}

/** {@link ResourceReads} over `d`. */
export function resourceReads(d: ResourceReadDeps): ResourceReads {
  return {
    listDecisions: () => listDecisions(d),
    decisionXml: (id, version) => decisionXml(d, id, version),
    evaluateDecision: (id, req) => evaluateDeployed(d, id, req),
    listForms: () => listForms(d),
    formSchema: (id, version) => formSchema(d, id, version),
    userTaskForm: (id) => userTaskForm(d, id),
    decisionEvaluations: (id) => decisionEvaluations(d, id),
  };
}
