/** The variables panel (view, edit, add; each change asks for a reason) and the history timeline of an instance. */
import { api, errorText } from '../shared/api';
import { askReason } from '../shared/dialog';
import { formatTime, h, mount, toast } from '../shared/dom';
import type { AuditFields, HistoryEntry, HistoryType, Instance } from '../shared/types';
import { preview } from './json-input';

/** Renders the root-scope variables; editing sends `PATCH /api/instances/:id/variables?reason=…`. */
export function variablesPanel(el: HTMLElement, instance: Instance, refresh: () => Promise<void>): void {
  const editable = instance.status === 'active' || instance.status === 'suspended';
  const names = Object.keys(instance.variables).sort();
  const save = async (name: string, text: string) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      toast(`The value of ${name} must be JSON (text in "quotes"): ${(err as Error).message}`, 'error');
      return;
    }
    const answer = await askReason(`Change variable ${name}`, 'Save');
    if (!answer) return;
    try {
      await api(`/api/instances/${encodeURIComponent(instance.id)}/variables`, {
        method: 'PATCH',
        json: { [name]: value },
        query: { reason: answer.reason },
      });
      toast(`Saved ${name}`);
      el.classList.remove('editing');
    } catch (err) {
      toast(errorText(err), 'error');
    }
    await refresh();
  };
  const edit = (row: HTMLElement, name: string, value: unknown) => {
    el.classList.add('editing');
    const input = h('textarea', { rows: 3, 'data-edit': name }, JSON.stringify(value, null, 2));
    mount(
      row,
      h('td', { class: 'mono' }, name),
      h(
        'td',
        { colspan: 2 },
        input,
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            { type: 'button', class: 'primary small', 'data-save': name, onclick: () => void save(name, input.value) },
            'Save',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              onclick: () => {
                el.classList.remove('editing');
                void refresh();
              },
            },
            'Cancel',
          ),
        ),
      ),
    );
    input.focus();
  };
  const rows = names.map((name) => {
    const row = h('tr', { 'data-variable': name });
    const value = instance.variables[name];
    mount(
      row,
      h('td', { class: 'mono' }, name),
      h('td', { class: 'mono value', title: JSON.stringify(value, null, 2) }, preview(value)),
      h(
        'td',
        { class: 'actions' },
        editable
          ? h(
              'button',
              { type: 'button', class: 'link', 'data-edit-variable': name, onclick: () => edit(row, name, value) },
              'Edit',
            )
          : null,
      ),
    );
    return row;
  });
  const typing = () =>
    el.classList.toggle('editing', !!(newName.value || newValue.value) || !!el.querySelector('[data-edit]'));
  const newName = h('input', { placeholder: 'name', id: 'new-variable-name', oninput: () => typing() });
  const newValue = h('input', {
    placeholder: 'JSON value, e.g. 42 or "text"',
    id: 'new-variable-value',
    oninput: () => typing(),
  });
  mount(
    el,
    h('h2', {}, 'Variables'),
    names.length
      ? h('table', { class: 'table compact' }, h('tbody', {}, rows))
      : h('p', { class: 'muted' }, 'No variables.'),
    editable
      ? h(
          'form',
          {
            class: 'row add-variable',
            onsubmit: (e: Event) => {
              e.preventDefault();
              if (newName.value.trim()) void save(newName.value.trim(), newValue.value || 'null');
            },
          },
          newName,
          newValue,
          h('button', { type: 'submit', class: 'secondary small' }, 'Add'),
        )
      : null,
  );
}

const LABELS: Partial<Record<HistoryType, string>> = {
  'process-started': 'Process started',
  'process-completed': 'Process completed',
  'process-cancelled': 'Cancelled',
  'process-suspended': 'Suspended',
  'process-resumed': 'Resumed',
  'variables-updated': 'Variables changed',
  'instance-modified': 'Modified',
  'process-migrated': 'Migrated',
  'element-activated': 'Entered',
  'element-completed': 'Completed',
  'element-terminated': 'Terminated',
  'element-compensated': 'Compensated',
  'sequence-flow-taken': 'Flow taken',
  'incident-created': 'Incident',
  'incident-resolved': 'Incident resolved',
  'job-failed': 'Job failed',
  'job-completed': 'Job completed',
  'listener-started': 'Listener started',
  'listener-completed': 'Listener completed',
  'task-listener-started': 'Task listener started',
  'task-listener-completed': 'Task listener completed',
  'user-task-transition-denied': 'Task change denied',
  'ad-hoc-elements-activated': 'Ad-hoc elements started',
  'user-task-claimed': 'Task claimed',
  'user-task-unclaimed': 'Task unclaimed',
  'user-task-completed': 'Task completed',
  'command-refused': 'Kept command refused',
};

/** Who changed the instance and why, for the events an operator's command records. */
function auditOf(e: HistoryEntry): AuditFields {
  switch (e.type) {
    case 'process-cancelled':
    case 'process-suspended':
    case 'process-resumed':
    case 'process-migrated':
    case 'instance-modified':
    case 'variables-updated':
    case 'incident-resolved':
      return e;
    default:
      return {};
  }
}

/** The line of detail an entry shows, by its type. */
function detailOf(e: HistoryEntry, nameOf: (elementId: string) => string): string {
  const parts: (string | null)[] = [];
  switch (e.type) {
    case 'incident-created':
    case 'command-refused':
      parts.push(e.message);
      break;
    case 'job-failed':
    case 'job-error-thrown':
      parts.push(e.errorMessage);
      break;
    case 'variables-updated':
      parts.push(`names: ${e.names.join(', ')}`);
      break;
    case 'user-task-claimed':
      parts.push(`assignee: ${e.assignee}`);
      break;
    case 'instance-modified':
      if (e.activated.length) parts.push(`started: ${e.activated.map(nameOf).join(', ')}`);
      if (e.terminated.length) parts.push(`cancelled: ${e.terminated.map(nameOf).join(', ')}`);
      break;
    case 'process-migrated':
      parts.push(`v${e.fromVersion} → v${e.toVersion}`);
      break;
    case 'ad-hoc-elements-activated':
      parts.push(`started: ${e.elements.map(nameOf).join(', ')}`);
      break;
    case 'listener-started':
    case 'listener-completed':
    case 'task-listener-started':
      parts.push(`${e.eventType} listener ${e.index + 1}`);
      break;
    case 'task-listener-completed':
      parts.push(`${e.eventType} listener ${e.index + 1}`);
      if (e.denied) parts.push(`denied${e.deniedReason ? `: ${e.deniedReason}` : ''}`);
      break;
    case 'user-task-transition-denied':
      parts.push(`${e.eventType} denied${e.deniedReason ? `: ${e.deniedReason}` : ''}`);
      break;
    default:
  }
  const { batchId } = auditOf(e);
  if (batchId) parts.push(`batch operation ${batchId.slice(0, 8)}`);
  return parts.filter(Boolean).join(' · ');
}

/** Renders the history, newest first; operator entries show who and why. */
export function historyTimeline(el: HTMLElement, entries: HistoryEntry[], nameOf: (elementId: string) => string): void {
  const items = [...entries].reverse().map((e) => {
    const audit = auditOf(e);
    const operator = audit.actor !== undefined || audit.reason !== undefined;
    const detail = detailOf(e, nameOf);
    return h(
      'li',
      { class: `event event-${e.type}${operator ? ' operator' : ''}`, 'data-type': e.type },
      h('span', { class: 'event-time muted' }, formatTime(e.time)),
      h('span', { class: 'event-type' }, LABELS[e.type] ?? e.type),
      e.elementId && !e.type.startsWith('process-') ? h('span', { class: 'event-element' }, nameOf(e.elementId)) : null,
      detail ? h('span', { class: 'event-detail muted' }, detail) : null,
      operator
        ? h(
            'div',
            { class: 'event-audit' },
            h('strong', {}, audit.actor ?? 'someone'),
            ': ',
            audit.reason ?? '(no reason)',
          )
        : null,
    );
  });
  const list = h('ol', { class: 'timeline' }, items);
  const showAll = el.querySelector<HTMLInputElement>('#history-flows')?.checked ?? false;
  const toggle = h('input', {
    type: 'checkbox',
    id: 'history-flows',
    checked: showAll,
    onchange: () => list.classList.toggle('show-flows', toggle.checked),
  });
  list.classList.toggle('show-flows', showAll);
  const keepScroll = el.querySelector('.timeline')?.scrollTop;
  mount(
    el,
    h('div', { class: 'card-head' }, h('h2', {}, 'History'), h('label', { class: 'inline' }, toggle, 'show flows')),
    list,
  );
  if (keepScroll !== undefined) list.scrollTop = keepScroll;
}
