/**
 * Embedded forms: the `zeebe:userTaskForm` elements of a process (a Camunda Form's JSON in the BPMN
 * itself, as Camunda Modeler wrote them before linked forms existed), and the user tasks that name
 * one with `formKey="camunda-forms:bpmn:ID"`. Each schema is checked like a deployed `.form`.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { BuildContext, Draft } from './context.js';
import { compileForm } from './form/compile.js';

/**
 * The embedded forms of `process` by id (undefined when it has none); files a problem for a form
 * without an id, one that is not a valid form, and a user task that names a form the process lacks.
 */
export function readEmbeddedForms(
  process: ModdleElement,
  elements: Readonly<Record<string, Draft>>,
  ctx: BuildContext,
): Record<string, string> | undefined {
  const forms: Record<string, string> = {};
  const values = (process.extensionElements?.values ?? []) as ModdleElement[];
  for (const element of values.filter((v) => v.$type === 'zeebe:UserTaskForm')) {
    const id = typeof element.id === 'string' ? element.id : '';
    if (id === '') {
      ctx.sink.add(
        process.id,
        `Expected every zeebe:userTaskForm of process ${process.id} to have an id, but one has none`,
      );
      continue;
    }
    const body = typeof element.body === 'string' ? element.body : '';
    const { problems } = compileForm(body);
    for (const p of problems) {
      const where = p.elementId && p.elementId !== id ? `component ${p.elementId} of ` : '';
      ctx.sink.add(id, `${p.message} (${where}embedded form ${id})`);
    }
    Object.defineProperty(forms, id, { value: body, enumerable: true, writable: true, configurable: true });
  }
  for (const draft of Object.values(elements)) {
    const wanted = draft.userTask?.embeddedForm;
    if (wanted !== undefined && !Object.prototype.hasOwnProperty.call(forms, wanted))
      ctx.sink.add(
        draft.id,
        `Expected process ${process.id} to embed the form "${wanted}" that user task ${draft.id} names (formKey camunda-forms:bpmn:${wanted}), but it has no zeebe:userTaskForm with that id`,
      );
  }
  return Object.keys(forms).length > 0 ? forms : undefined;
}
