/**
 * Open user tasks: `POST /v2/user-tasks/search`, `GET /v2/user-tasks/{key}`, its `/form` and
 * its local variables (`/variables/search`), `/assignment`, `DELETE …/assignee`, `/completion`. Baton keeps only open tasks as tasks (a completed one is in
 * its instance's history), so a search finds state `CREATED` only.
 */
import { EngineError } from '../../runtime/api-types.js';
import type { UserTaskRow } from '../../storage/port.js';
import { field, jsonBody, variablesField } from '../validate.js';
import { withInstances, type V2Context } from './context.js';
import { decodeIdKey, notFoundKey, scopedKey } from './keys.js';
import { DEFAULT_TENANT, matcher, search } from './search.js';
import { userTask, type UserTaskResult } from './shapes.js';
import { variablesOf } from './variables.js';

const FIELDS = [
  'userTaskKey',
  'state',
  'assignee',
  'priority',
  'elementId',
  'name',
  'tenantId',
  'processDefinitionId',
  'processDefinitionKey',
  'processInstanceKey',
  'elementInstanceKey',
  'creationDate',
  'completionDate',
  'followUpDate',
  'dueDate',
] as const;

export function userTaskRoutes({ router, engine, catalog }: V2Context): void {
  const describe = (rows: UserTaskRow[]): Promise<UserTaskResult[]> =>
    withInstances({ engine, catalog }, rows, userTask);
  const find = async (key: string): Promise<{ id: string; row: UserTaskRow }> => {
    const id = decodeIdKey(key, 'User task');
    const row = await engine.reads.work.userTask(id);
    if (!row) throw notFoundKey('User task', key);
    return { id, row };
  };

  router.post('/user-tasks/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    const rows = await engine.reads.work.userTasks({ limit: 1_000_000 });
    const items = await describe(rows);
    res.json(
      search(items, jsonBody(req), {
        fields: FIELDS,
        custom: {
          candidateGroup: (item, c) => item.candidateGroups.some(matcher('filter.candidateGroup', c)),
        },
      }),
    );
  });

  router.get('/user-tasks/:key', 'viewer', async (req, res) => {
    const { row } = await find(req.params.key);
    res.json((await describe([row]))[0]);
  });

  router.post('/user-tasks/:key/variables/search', { access: 'viewer', body: 'json' }, async (req, res) => {
    const { row } = await find(req.params.key);
    const state = await engine.reads.instances.state(row.instanceId);
    const scope = scopedKey(row.instanceId, row.elementKey);
    const local = state ? variablesOf(state).filter((v) => v.scopeKey === scope) : [];
    res.json(search(local, req.body, { fields: ['name'] }));
  });

  router.get('/user-tasks/:key/form', 'viewer', async (req, res) => {
    const { id } = await find(req.params.key);
    let form: Awaited<ReturnType<typeof engine.resources.userTaskForm>>;
    try {
      form = await engine.resources.userTaskForm(id);
    } catch (err) {
      // a task without a Camunda Form has none to answer, as Camunda says it
      if (err instanceof EngineError && err.code === 'FORM_NOT_FOUND') {
        res.status(204).end();
        return;
      }
      throw err;
    }
    const keyed = (await catalog.fresh()).forms.find((f) => f.row.key === form.key);
    if (!keyed)
      throw new EngineError(
        404,
        'NOT_FOUND',
        `User task ${req.params.key} has a form embedded in its BPMN, which has no key; read it with GET /api/user-tasks/${id}/form.`,
      );
    res.json({
      tenantId: DEFAULT_TENANT,
      formId: form.formId,
      schema: JSON.stringify(form.schema),
      version: keyed.row.version,
      formKey: keyed.key,
    });
  });

  router.post('/user-tasks/:key/assignment', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const assignee = field(body, 'assignee', 'string');
    const allowOverride = field(body, 'allowOverride', 'boolean', { optional: true }) ?? true;
    const { id, row } = await find(req.params.key);
    if (row.assignee !== null && row.assignee !== assignee) {
      if (!allowOverride)
        throw new EngineError(
          409,
          'TASK_ALREADY_ASSIGNED',
          `User task ${req.params.key} is assigned to ${row.assignee}.`,
        );
      await engine.unclaimUserTask(id);
    }
    if (row.assignee !== assignee) await engine.claimUserTask(id, assignee);
    res.status(204).end();
  });

  router.delete('/user-tasks/:key/assignee', { access: 'operator' }, async (req, res) => {
    const { id } = await find(req.params.key);
    await engine.unclaimUserTask(id);
    res.status(204).end();
  });

  router.post('/user-tasks/:key/completion', { access: 'operator', body: 'json' }, async (req, res) => {
    const variables = variablesField(jsonBody(req));
    const { id } = await find(req.params.key);
    await engine.completeUserTask(id, variables);
    res.status(204).end();
  });
}
