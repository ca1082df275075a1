/**
 * Documents for the deployment, decision and form tests: BPMN processes with a business rule task
 * or a user task with a form, DMN documents (built with test/decisions/dmn-helpers.ts), Camunda
 * Forms, and multipart bodies as browsers and curl send them.
 */
import { dmn, table } from '../decisions/dmn-helpers.js';

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://baton.test">\n';

/** Attributes as XML, skipping undefined values. */
function attrs(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${v!.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
    .join('');
}

/** A process `id`: start -> `element` (id `Task`) -> end, with `extensions` on the process. */
function around(id: string, element: string, processExtensions = ''): string {
  return `${HEADER}<bpmn:process id="${id}" isExecutable="true">
${processExtensions}<bpmn:startEvent id="Start"/>
${element}
<bpmn:endEvent id="End"/>
<bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task"/>
<bpmn:sequenceFlow id="F2" sourceRef="Task" targetRef="End"/>
</bpmn:process>
</bpmn:definitions>
`;
}

/** A process whose business rule task `Task` calls a decision (`decisionId`, `resultVariable`, binding…). */
export function ruleProcess(id: string, called: Record<string, string | undefined>, inner = ''): string {
  return around(
    id,
    `<bpmn:businessRuleTask id="Task" name="Decide"><bpmn:extensionElements><zeebe:calledDecision${attrs(called)}/>${inner}</bpmn:extensionElements></bpmn:businessRuleTask>`,
  );
}

/** A process whose user task `Task` has a `zeebe:formDefinition` with `form` (formId, bindingType, …). */
export function formProcess(id: string, form: Record<string, string | undefined>, embedded?: string): string {
  const ext = embedded
    ? `<bpmn:extensionElements><zeebe:userTaskForm id="UserTaskForm_1">${embedded.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</zeebe:userTaskForm></bpmn:extensionElements>\n`
    : '';
  return around(
    id,
    `<bpmn:userTask id="Task" name="Fill in"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition${attrs(form)}/></bpmn:extensionElements></bpmn:userTask>`,
    ext,
  );
}

/** A Camunda Form as form-js writes it, with a text field per key. */
export function formJson(id: string, opts: { versionTag?: string; keys?: string[]; label?: string } = {}): string {
  const components = (opts.keys ?? ['name']).map((key, i) => ({
    label: opts.label ?? key,
    type: 'textfield',
    id: `Field_${i + 1}`,
    key,
    validate: { required: true },
  }));
  return JSON.stringify(
    {
      components,
      type: 'default',
      id,
      ...(opts.versionTag ? { versionTag: opts.versionTag } : {}),
      executionPlatform: 'Camunda Cloud',
      executionPlatformVersion: '8.6.0',
      exporter: { name: 'Camunda Modeler', version: '5.28.0' },
      schemaVersion: 16,
    },
    null,
    2,
  );
}

/** A DMN document `drgId` with one UNIQUE table `decisionId`: `grade` -> `result` as the rules say. */
export function gradeDmn(drgId: string, decisionId: string, rules: [string, string][], versionTag?: string): string {
  const xml = dmn(
    table({ id: decisionId, inputs: ['grade'], outputs: ['result'], rules: rules.map(([a, b]) => [[a], [b]]) }),
  );
  const tagged = versionTag
    ? xml.replace(
        `<decision id="${decisionId}" name="${decisionId}">\n`,
        `<decision id="${decisionId}" name="${decisionId}">\n    <extensionElements><zeebe:versionTag value="${versionTag}" /></extensionElements>\n`,
      )
    : xml;
  return tagged.replace('id="Definitions_test"', `id="${drgId}"`);
}

/** A multipart/form-data body of `parts` (a file when it has a filename) and its content type. */
export function multipart(parts: { field: string; filename?: string; content: string }[]): {
  raw: string;
  contentType: string;
} {
  const boundary = '----baton-test-boundary-7MA4YWxkTrZu0gW';
  const body = parts
    .map((p) => {
      const disposition = `form-data; name="${p.field}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
      const type = p.filename !== undefined ? 'Content-Type: application/octet-stream\r\n' : '';
      return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n${p.content}\r\n`;
    })
    .join('');
  return { raw: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}
