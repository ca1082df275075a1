/**
 * A Camunda Form rendered with the form-js viewer (`@bpmn-io/form-js-viewer`), for user tasks in the
 * tasklist and start forms in the start dialog. The viewer's code is loaded on first use (a chunk of
 * its own), so pages without a form do not pay for it.
 */
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '../styles/forms.css';
import { h } from './dom';

/** A rendered form: its element, and how to read its data (null while a field is invalid). */
export interface RenderedForm {
  element: HTMLElement;
  /**
   * Validates every field (the viewer shows each error under its field) and returns the form's
   * data, or null when a field is invalid.
   */
  submit(): Record<string, unknown> | null;
  destroy(): void;
}

/** Renders `schema` (a form-js schema) prefilled from `data`. */
export async function renderForm(schema: unknown, data: Record<string, unknown>): Promise<RenderedForm> {
  const { Form } = await import('@bpmn-io/form-js-viewer');
  const element = h('div', { class: 'formjs-host', 'data-form-id': formIdOf(schema) });
  // No debounce: a value typed just before "Complete" is in the data submitted.
  const form = new Form({ container: element, debounce: false } as ConstructorParameters<typeof Form>[0]);
  await form.importSchema(schema as Parameters<typeof form.importSchema>[0], data);
  return {
    element,
    submit() {
      const { data: values, errors } = form.submit();
      return Object.keys(errors).length ? null : (values as Record<string, unknown>);
    },
    destroy: () => form.destroy(),
  };
}

function formIdOf(schema: unknown): string {
  const id = (schema as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '';
}
