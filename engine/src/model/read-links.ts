/**
 * References from a process to other deployed resources, read from zeebe extension elements: the
 * decision a business rule task calls (`zeebe:calledDecision`) and the form a user task shows
 * (`zeebe:formDefinition`: a linked form by `formId`, an embedded one by `formKey`, or a key of the
 * user's own). Each carries Camunda 8's binding type; the runtime resolves it when the element runs.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { BuildContext, Draft, Extensions } from './context.js';
import type { BindingType, CalledDecisionDef, LinkedResourceDef, UserTaskDef } from './types.js';

const BINDING_TYPES: readonly BindingType[] = ['latest', 'versionTag', 'deployment'];

/** The prefix of a user task's `formKey` that names an embedded form: `camunda-forms:bpmn:ID`. */
export const EMBEDDED_FORM_PREFIX = 'camunda-forms:bpmn:';

/** Reads the binding type and version tag of `ext` (a calledDecision or formDefinition) on `id`. */
function readBinding(
  ext: ModdleElement,
  id: string,
  ctx: BuildContext,
): { bindingType: BindingType; versionTag?: string } {
  const raw: unknown = ext.bindingType ?? 'latest';
  const bindingType = BINDING_TYPES.includes(raw as BindingType) ? (raw as BindingType) : 'latest';
  if (bindingType !== raw)
    ctx.sink.add(
      id,
      `Expected the bindingType of ${id} to be latest, versionTag or deployment, but found "${String(raw)}"`,
    );
  const versionTag = typeof ext.versionTag === 'string' && ext.versionTag.trim() !== '' ? ext.versionTag : undefined;
  if (bindingType === 'versionTag' && !versionTag)
    ctx.sink.add(id, `Expected a versionTag on ${id} because its bindingType is versionTag, but found none`);
  return { bindingType, ...(bindingType === 'versionTag' && versionTag ? { versionTag } : {}) };
}

/**
 * A business rule task's `zeebe:calledDecision`, or undefined (with a problem) when it lacks a
 * decision id or a result variable, which Camunda 8 requires too.
 */
export function readCalledDecision(id: string, ext: Extensions, ctx: BuildContext): CalledDecisionDef | undefined {
  const called = ext.get('zeebe:CalledDecision');
  if (!called) return undefined;
  const decisionId = ctx.expr(called.decisionId, id, 'the called decision id');
  const resultVariable = typeof called.resultVariable === 'string' ? called.resultVariable.trim() : '';
  const binding = readBinding(called, id, ctx);
  if (!decisionId || decisionId.src.trim() === '') {
    ctx.sink.add(id, `Expected a decisionId on the zeebe:calledDecision of ${id}, but found none`);
    return undefined;
  }
  if (resultVariable === '') {
    ctx.sink.add(id, `Expected a resultVariable on the zeebe:calledDecision of ${id}, but found none`);
    return undefined;
  }
  return { decisionId, resultVariable, ...binding };
}

/**
 * Reads a user task's `zeebe:formDefinition` into `draft.userTask`'s form fields: `formId` links a
 * deployed form, `formKey="camunda-forms:bpmn:ID"` an embedded one, any other `formKey` or an
 * `externalReference` is the application's own and only shown. More than one of them is a problem.
 */
export function readUserTaskForm(draft: Draft, form: ModdleElement | undefined, ctx: BuildContext): UserTaskDef {
  if (!form) return {};
  const id = draft.id;
  const given = (['formId', 'formKey', 'externalReference'] as const).filter(
    (k) => typeof form[k] === 'string' && form[k].trim() !== '',
  );
  if (given.length > 1)
    ctx.sink.add(
      id,
      `Expected the zeebe:formDefinition of ${id} to have one of formId, formKey and externalReference, but it has ${given.join(' and ')}`,
    );
  const formKey: unknown = form.formKey ?? form.formId ?? form.externalReference;
  const shown = typeof formKey === 'string' ? { formKey } : {};
  if (given[0] === 'formId') {
    const linked: LinkedResourceDef = { id: (form.formId as string).trim(), ...readBinding(form, id, ctx) };
    return { ...shown, form: linked };
  }
  if (given[0] === 'formKey' && (form.formKey as string).startsWith(EMBEDDED_FORM_PREFIX)) {
    return { ...shown, embeddedForm: (form.formKey as string).slice(EMBEDDED_FORM_PREFIX.length) };
  }
  return shown;
}
