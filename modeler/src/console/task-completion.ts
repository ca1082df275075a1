/**
 * The form a user task is completed with: the Camunda Form linked to (or embedded in) the task,
 * rendered with form-js and prefilled from the task's variables (`GET /api/user-tasks/:id/form`);
 * a task without one gets the form generated from its variables (task-form.ts).
 */
import { api, ApiError } from '../shared/api';
import { h } from '../shared/dom';
import { renderForm } from '../shared/form-viewer';
import type { UserTask } from '../shared/types';
import type { UserTaskFormView } from '../../../engine/src/runtime/api-types';
import { taskForm } from './task-form';

/** A completion form: its element, and the variables to complete with (throws a readable Error when invalid). */
export interface CompletionForm {
  element: HTMLElement;
  read(): Record<string, unknown>;
  destroy(): void;
}

/** The thrown message when the designed form has invalid fields (the fields show why). */
export const INVALID_FORM = 'Some fields are not valid: see the messages in the form.';

/** The completion form of `task`. */
export async function completionForm(task: UserTask): Promise<CompletionForm> {
  const view = task.hasForm ? await taskFormView(task.id) : undefined;
  if (!view) {
    const generated = taskForm(task.variables);
    return { element: generated.element, read: () => generated.read(), destroy: () => {} };
  }
  const form = await renderForm(view.schema, view.variables);
  return {
    element: h(
      'div',
      { class: 'designed-form' },
      h(
        'p',
        { class: 'muted form-source' },
        view.embedded ? 'Embedded form ' : 'Form ',
        h('code', {}, view.formId),
        view.version !== null ? ` version ${view.version}` : '',
      ),
      form.element,
    ),
    read() {
      const data = form.submit();
      if (!data) throw new Error(INVALID_FORM);
      return data;
    },
    destroy: () => form.destroy(),
  };
}

/** The task's Camunda Form, or undefined when it has none. */
async function taskFormView(taskId: string): Promise<UserTaskFormView | undefined> {
  try {
    return await api<UserTaskFormView>(`/api/user-tasks/${encodeURIComponent(taskId)}/form`);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'FORM_NOT_FOUND') return undefined;
    throw err;
  }
}
