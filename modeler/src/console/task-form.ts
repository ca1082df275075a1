/**
 * The completion form of a user task, generated from the task's variables: a text, number or
 * checkbox field per scalar variable, a JSON editor per structured one, plus a JSON box for new
 * variables. "Edit as JSON" switches to one editor for everything (for shapes the form cannot show).
 */
import { h, mount } from '../shared/dom';
import { parseJsonObject } from './json-input';

/** A rendered form and how to read the variables to complete the task with (only changed or new ones). */
export interface TaskForm {
  element: HTMLElement;
  /** Throws an Error with a readable message when a field does not parse. */
  read(): Record<string, unknown>;
}

type Field = { name: string; read: () => unknown; original: unknown; element: HTMLElement };

/** Builds the form for `variables`. */
export function taskForm(variables: Record<string, unknown>): TaskForm {
  const fields: Field[] = Object.keys(variables)
    .sort()
    .map((name) => field(name, variables[name]));
  const extra = h('textarea', { rows: 3, id: 'task-extra', name: 'extra', placeholder: '{"approved": true}' });
  const generated = h(
    'div',
    { class: 'form-stack', id: 'task-fields' },
    fields.length ? fields.map((f) => f.element) : h('p', { class: 'muted' }, 'This task has no variables yet.'),
    h('label', {}, 'New variables (JSON object)', extra),
  );
  const whole = h('textarea', { rows: 12, id: 'task-json', name: 'json' }, JSON.stringify(variables, null, 2));
  const jsonMode = h('input', { type: 'checkbox', id: 'task-json-mode' });
  const body = h('div', {}, generated);
  jsonMode.addEventListener('change', () =>
    mount(body, jsonMode.checked ? h('label', {}, 'Variables (JSON object)', whole) : generated),
  );
  return {
    element: h('div', {}, h('label', { class: 'inline' }, jsonMode, 'Edit as JSON'), body),
    read() {
      if (jsonMode.checked) return changed(parseJsonObject(whole.value), variables);
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const value = f.read();
        if (JSON.stringify(value) !== JSON.stringify(f.original)) out[f.name] = value;
      }
      return { ...out, ...parseJsonObject(extra.value, 'New variables') };
    },
  };

  function field(name: string, value: unknown): Field {
    const id = `var-${name}`;
    if (typeof value === 'boolean') {
      const input = h('input', { type: 'checkbox', id, name, checked: value });
      return {
        name,
        original: value,
        read: () => input.checked,
        element: h('label', { class: 'inline' }, input, name),
      };
    }
    if (typeof value === 'number') {
      const input = h('input', { type: 'number', step: 'any', id, name, value: String(value) });
      return {
        name,
        original: value,
        read: () => (input.value === '' ? null : Number(input.value)),
        element: h('label', {}, name, input),
      };
    }
    if (typeof value === 'string') {
      const input = h('input', { type: 'text', id, name, value });
      return { name, original: value, read: () => input.value, element: h('label', {}, name, input) };
    }
    const input = h('textarea', { rows: 3, id, name }, JSON.stringify(value, null, 2));
    return {
      name,
      original: value,
      element: h('label', {}, `${name} (JSON)`, input),
      read: () => {
        try {
          return JSON.parse(input.value);
        } catch (err) {
          throw new Error(`${name} must be JSON: ${(err as Error).message}`, { cause: err });
        }
      },
    };
  }
}

function changed(next: Record<string, unknown>, before: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
}
