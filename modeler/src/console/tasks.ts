/**
 * `#/tasks`: the tasklist. Open user tasks filtered by assignee and candidate group (kept in the
 * hash query); claim as the current operator, unclaim, and complete with a generated form.
 */
import { getActor } from '../shared/actor';
import { api, errorText } from '../shared/api';
import { formatAge, h, mount, toast } from '../shared/dom';
import type { UserTask } from '../shared/types';
import { poll, type Page } from './page';
import { completionForm, INVALID_FORM, type CompletionForm } from './task-completion';

const enc = encodeURIComponent;
/** The task completed last on this page, so the detail can lead back to its instance. */
let lastCompleted: { name: string; instanceId: string } | undefined;

export const tasksPage: Page = async (view, _params, query) => {
  lastCompleted = undefined;
  const assignee = h('input', {
    name: 'assignee',
    id: 'task-assignee',
    value: query.get('assignee') ?? '',
    placeholder: 'anyone',
  });
  const group = h('input', {
    name: 'candidateGroup',
    id: 'task-group',
    value: query.get('candidateGroup') ?? '',
    placeholder: 'any group',
  });
  const list = h('section', { class: 'card task-list', id: 'task-list' });
  const detail = h('section', { class: 'card task-detail', id: 'task-detail' });
  let selected = query.get('task');
  const apply = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (assignee.value.trim()) q.set('assignee', assignee.value.trim());
    if (group.value.trim()) q.set('candidateGroup', group.value.trim());
    location.hash = `#/tasks?${q}`;
  };
  mount(
    view,
    h('div', { class: 'page-head' }, h('h1', {}, 'Tasks')),
    h(
      'form',
      { class: 'card filters', id: 'task-filters', onsubmit: apply },
      h('label', {}, 'Assignee', assignee),
      h('label', {}, 'Candidate group', group),
      h('button', { type: 'submit', class: 'primary' }, 'Filter'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            assignee.value = getActor();
            group.value = '';
            apply(new Event('submit'));
          },
        },
        'Assigned to me',
      ),
      h('a', { class: 'button secondary', href: '#/tasks' }, 'All'),
    ),
    h('div', { class: 'split' }, list, detail),
  );

  const load = async () => {
    const tasks = await api<UserTask[]>('/api/user-tasks', {
      query: { assignee: query.get('assignee') ?? undefined, candidateGroup: query.get('candidateGroup') ?? undefined },
    });
    mount(
      list,
      h('h2', {}, `Open tasks (${tasks.length})`),
      tasks.length
        ? h(
            'ul',
            { class: 'tasks' },
            tasks.map((t) =>
              h(
                'li',
                { class: t.id === selected ? 'selected' : '', 'data-task': t.id, 'data-element-id': t.elementId },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'task-item',
                    onclick: () => {
                      selected = t.id;
                      void load();
                    },
                  },
                  h('strong', {}, t.name ?? t.elementId),
                  h('div', { class: 'muted' }, `instance ${t.instanceId} · ${formatAge(t.createdAt)}`),
                  h(
                    'div',
                    { class: 'muted' },
                    t.assignee
                      ? `assigned to ${t.assignee}`
                      : `unassigned${t.candidateGroups.length ? ` · ${t.candidateGroups.join(', ')}` : ''}`,
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No open tasks match.'),
    );
    const task = tasks.find((t) => t.id === selected);
    // Drawn again only when the task changed (claimed, new variables), and not while being edited.
    const shown = task ? JSON.stringify(task) : '';
    if (detail.dataset.shown === shown) return;
    if (!task || detail.dataset.task !== task.id || !detail.classList.contains('editing')) {
      detail.dataset.shown = shown;
      await renderDetail(detail, task, load);
    }
  };
  await load();
  const stop = poll(3000, load);
  return () => {
    stop();
    current?.destroy();
  };
};

/** The completion form on show, destroyed when the next one replaces it. */
let current: CompletionForm | undefined;

async function renderDetail(el: HTMLElement, task: UserTask | undefined, reload: () => Promise<void>): Promise<void> {
  el.classList.remove('editing');
  el.dataset.task = task?.id ?? '';
  current?.destroy();
  current = undefined;
  if (!task) {
    mount(
      el,
      lastCompleted
        ? h(
            'p',
            { id: 'task-completed' },
            `Completed ${lastCompleted.name}. `,
            h(
              'a',
              { href: `#/instances/${enc(lastCompleted.instanceId)}` },
              `Follow instance ${lastCompleted.instanceId}`,
            ),
            '.',
          )
        : null,
      h('p', { class: 'muted' }, 'Select a task to work on it.'),
    );
    return;
  }
  lastCompleted = undefined;
  const act = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
      toast(what);
    } catch (err) {
      toast(errorText(err), 'error');
    }
    await reload();
  };
  const form = await completionForm(task);
  current = form;
  const complete = (e: Event) => {
    e.preventDefault();
    let variables: Record<string, unknown>;
    try {
      variables = form.read();
    } catch (err) {
      if ((err as Error).message === INVALID_FORM) el.classList.add('editing');
      toast((err as Error).message, 'error');
      return;
    }
    void act(`Completed ${task.name ?? task.elementId}`, async () => {
      await api(`/api/user-tasks/${enc(task.id)}/complete`, { json: { variables } });
      lastCompleted = { name: task.name ?? task.elementId, instanceId: task.instanceId };
    });
  };
  const me = getActor();
  mount(
    el,
    h('h2', {}, task.name ?? task.elementId),
    h(
      'p',
      { class: 'meta' },
      'Instance ',
      h('a', { href: `#/instances/${enc(task.instanceId)}` }, task.instanceId),
      ` · ${task.assignee ? `assigned to ${task.assignee}` : 'unassigned'}`,
      task.candidateGroups.length ? ` · groups ${task.candidateGroups.join(', ')}` : '',
      task.formKey ? ` · form ${task.formKey}` : '',
    ),
    h(
      'div',
      { class: 'row' },
      task.assignee !== me
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'claim',
              onclick: () =>
                void act(`Claimed by ${me}`, () =>
                  api(`/api/user-tasks/${enc(task.id)}/claim`, { json: { assignee: me } }),
                ),
            },
            `Claim as ${me}`,
          )
        : null,
      task.assignee
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'unclaim',
              onclick: () => void act('Unclaimed', () => api(`/api/user-tasks/${enc(task.id)}/unclaim`, { json: {} })),
            },
            'Unclaim',
          )
        : null,
    ),
    h(
      'form',
      { class: 'form-stack', id: 'task-form', onsubmit: complete, oninput: () => el.classList.add('editing') },
      form.element,
      h('button', { type: 'submit', class: 'primary', id: 'complete-task' }, 'Complete task'),
    ),
  );
}
