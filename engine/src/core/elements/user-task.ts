/**
 * User tasks: an entry in the task list (assignee, candidate groups, form key) until completed. A
 * linked form (`zeebe:formDefinition formId`) is resolved with its binding type when the task
 * activates and kept with the element instance, for `GET /api/user-tasks/:id/form`.
 */
import { evalExpr } from '../feel.js';
import { complete } from '../lifecycle.js';
import { describeLink, lookupLink } from '../links.js';
import { beginTransition } from '../task-listeners.js';
import type { ElementBehavior } from './element-behavior.js';

function groups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

export const userTask: ElementBehavior = {
  activate(run, ei, el) {
    const def = el.userTask ?? {};
    if (def.form) {
      // a linked form resolves when the task activates (Camunda 8): a missing one is an incident here
      const ref = { kind: 'form' as const, ...def.form };
      const form = lookupLink(run.ctx.links, ref);
      if (!form) {
        const message = `Expected a deployed form ${describeLink(ref)} for user task ${el.id}, but there is none`;
        run.incident(ei, 'FORM_NOT_FOUND', message, 'activate');
        return;
      }
      ei.form = form.key;
    }
    const vars = run.visible(ei.key);
    let assignee: string | null = null;
    let candidateGroups: string[] = [];
    if (def.assignee) {
      const r = evalExpr(def.assignee, vars, run.ctx);
      if (!r.ok) {
        run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
        return;
      }
      assignee = r.value === null || r.value === '' ? null : String(r.value);
    }
    if (def.candidateGroups) {
      const r = evalExpr(def.candidateGroups, vars, run.ctx);
      if (!r.ok) {
        run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
        return;
      }
      candidateGroups = groups(r.value);
    }
    const id = run.globalKey();
    if (def.listeners) {
      const candidateUsers = def.candidateUsers ? evalExpr(def.candidateUsers, vars, run.ctx) : undefined;
      if (candidateUsers && !candidateUsers.ok) {
        run.incident(ei, 'EXPRESSION_FAILED', candidateUsers, 'activate');
        return;
      }
      const data = {
        assignee,
        candidateGroups,
        candidateUsers: groups(candidateUsers?.value),
        dueDate: null,
        followUpDate: null,
        priority: 50,
      };
      beginTransition(run, ei, { event: 'creating', taskId: id, data, ...(assignee ? { assignAfter: assignee } : {}) });
      return;
    }
    ei.userTask = id;
    run.effect({
      type: 'CreateUserTask',
      id,
      elementKey: ei.key,
      elementId: ei.elementId,
      name: el.name ?? null,
      assignee,
      candidateGroups,
      formKey: def.formKey ?? null,
    });
  },
  trigger(run, ei, _el, t) {
    delete ei.userTask;
    complete(run, ei, t.variables);
  },
};
