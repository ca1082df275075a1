/**
 * Ad-hoc sub-processes (Camunda 8.7+): `zeebe:adHoc` (active elements collection, output
 * collection and element), the BPMN completion condition and `cancelRemainingInstances`. The job
 * worker form (a `zeebe:taskDefinition` on the sub-process, used by Camunda's AI agent) is refused.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { BuildContext, Draft, Extensions } from './context.js';

/** Reads the ad-hoc settings of `el` into `draft.adHoc`. */
export function readAdHoc(el: ModdleElement, draft: Draft, ext: Extensions, ctx: BuildContext): void {
  const id = draft.id;
  if (ext.has('zeebe:TaskDefinition')) {
    ext.get('zeebe:TaskDefinition');
    ctx.sink.add(
      id,
      `Expected ad-hoc sub-process ${id} to be run by the engine, but it has a zeebe:taskDefinition (the job worker form, used by Camunda's AI agent), which Baton does not support`,
    );
  }
  if (el.ordering === 'Sequential')
    ctx.sink.warn(
      id,
      `The ordering "Sequential" of ${id} is ignored, as Camunda 8 ignores it: inner elements run in parallel`,
    );
  const adHoc = ext.get('zeebe:AdHoc');
  const activeElements = ctx.expr(adHoc?.activeElementsCollection, id, 'the active elements collection', {
    feelOnly: true,
  });
  const body = el.completionCondition?.body as string | undefined;
  const completionCondition =
    body && body.trim() !== '' ? ctx.expr(body, id, 'the completion condition', { feelOnly: true }) : undefined;
  const outputElement = ctx.expr(adHoc?.outputElement, id, 'the output element', { feelOnly: true });
  const outputCollection = (adHoc?.outputCollection as string | undefined)?.trim();
  if (outputElement && !outputCollection)
    ctx.sink.add(id, `Expected an outputCollection on the zeebe:adHoc of ${id} with its outputElement, but found none`);
  draft.adHoc = {
    ...(activeElements ? { activeElements } : {}),
    ...(completionCondition ? { completionCondition } : {}),
    cancelRemainingInstances: el.cancelRemainingInstances !== false,
    ...(outputCollection ? { outputCollection } : {}),
    ...(outputElement && outputCollection ? { outputElement } : {}),
  };
}
