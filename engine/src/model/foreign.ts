/**
 * What Camunda 8 deploys and ignores, Baton deploys with a warning: attributes of namespaces other
 * than BPMN and zeebe (leftovers of Camunda 7 such as `camunda:asyncAfter`, or other tools' own),
 * extension elements of such namespaces, and mistakes in the diagram interchange part (`bpmndi`),
 * which only draws the model.
 */
import type { ModdleElement, ModdleWarning } from 'bpmn-moddle';
import type { ProblemSink } from './problems.js';

/** Prefixes whose attributes Baton reads (moddle reports unknown ones of these itself). */
const READ_PREFIXES = new Set(['bpmn', 'zeebe', 'xmlns', 'xsi']);

/** Warns about every attribute of `el` in a namespace Baton does not read. */
export function warnForeignAttributes(el: ModdleElement, id: string, sink: ProblemSink): void {
  for (const name of Object.keys(el.$attrs ?? {})) {
    const colon = name.indexOf(':');
    if (colon < 0 || name === 'xmlns' || READ_PREFIXES.has(name.slice(0, colon))) continue;
    sink.warn(id, `${foreignWhat(name)} attribute ${name} on ${id} is ignored, as Camunda 8 ignores it`);
  }
}

/** Warns about an extension element of a namespace other than zeebe. */
export function warnForeignExtension(type: string, id: string, sink: ProblemSink): void {
  sink.warn(id, `${foreignWhat(type)} extension element <${type}> on ${id} is ignored, as Camunda 8 ignores it`);
}

function foreignWhat(name: string): string {
  return name.startsWith('camunda:') ? 'The Camunda 7' : 'The';
}

/** True for moddle warnings about the diagram interchange part (BPMNDI, DC, DI), which Camunda 8 does not check. */
export function isDiagramWarning(warning: ModdleWarning): boolean {
  for (let e: ModdleElement | undefined = warning.element; e; e = e.$parent) {
    const type = typeof e.$type === 'string' ? e.$type : '';
    if (type.startsWith('bpmndi:') || type.startsWith('dc:') || type.startsWith('di:')) return true;
  }
  return false;
}
