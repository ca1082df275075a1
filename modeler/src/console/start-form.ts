/**
 * The start form of a process version: the Camunda Form its none start event names
 * (`zeebe:formDefinition formId="…"`, the latest deployed version of that form, as Camunda resolves
 * start forms; or `formKey="camunda-forms:bpmn:ID"` for one embedded in the BPMN), rendered with
 * form-js in the console's start form.
 */
import { api, ApiError, errorText } from '../shared/api';
import { h } from '../shared/dom';
import { renderForm, type RenderedForm } from '../shared/form-viewer';

const ZEEBE = 'http://camunda.org/schema/zeebe/1.0';
const BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const EMBEDDED = 'camunda-forms:bpmn:';

/** A shown start form: the form, or a note why there is none to show. */
export interface StartForm {
  element: HTMLElement;
  /** The form's data, or null when a field is invalid (the form shows why); {} without a form. */
  submit(): Record<string, unknown> | null;
  destroy(): void;
}

/** The start form of `processId` version `version`, or undefined when its start event names none. */
export async function startForm(processId: string, version: number): Promise<StartForm | undefined> {
  const xml = await api<string>(`/api/processes/${encodeURIComponent(processId)}/xml`, { query: { version } });
  const link = startFormLink(xml, processId);
  if (!link) return undefined;
  let schema: unknown;
  try {
    schema = link.embedded !== undefined ? JSON.parse(link.embedded) : await api(`/api/forms/${link.formId}`);
  } catch (err) {
    const why =
      err instanceof ApiError && err.code === 'FORM_NOT_FOUND'
        ? `The start form "${link.formId}" is not deployed; start with variables as JSON.`
        : `The start form "${link.formId}" cannot be shown: ${errorText(err)}`;
    return { element: h('p', { class: 'bad', id: 'start-form-missing' }, why), submit: () => ({}), destroy() {} };
  }
  const form: RenderedForm = await renderForm(schema, {});
  return {
    element: h('div', { class: 'designed-form', id: 'start-form-fields' }, form.element),
    submit: () => form.submit(),
    destroy: () => form.destroy(),
  };
}

/** The form the none start event of `processId` in `xml` names: a formId, or an embedded schema. */
function startFormLink(xml: string, processId: string): { formId: string; embedded?: string } | undefined {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const process = [...doc.getElementsByTagNameNS(BPMN, 'process')].find((p) => p.getAttribute('id') === processId);
  if (!process) return undefined;
  for (const start of process.children) {
    if (start.namespaceURI !== BPMN || start.localName !== 'startEvent') continue;
    if ([...start.children].some((c) => c.localName.endsWith('EventDefinition'))) continue;
    const def = start.getElementsByTagNameNS(ZEEBE, 'formDefinition')[0];
    const formId = def?.getAttribute('formId');
    if (formId) return { formId };
    const key = def?.getAttribute('formKey');
    if (key?.startsWith(EMBEDDED)) {
      const id = key.slice(EMBEDDED.length);
      const embedded = [...process.getElementsByTagNameNS(ZEEBE, 'userTaskForm')].find(
        (f) => f.getAttribute('id') === id,
      );
      if (embedded) return { formId: id, embedded: embedded.textContent ?? '' };
    }
  }
  return undefined;
}
