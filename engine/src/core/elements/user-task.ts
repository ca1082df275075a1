/** User tasks: an entry in the task list (assignee, candidate groups, form key) until completed. */
import { evalExpr } from '../feel.js';
import { complete } from '../lifecycle.js';
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
