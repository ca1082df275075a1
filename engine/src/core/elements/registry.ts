/**
 * BPMN element type -> behavior. The model compiler rejects every type that is not here, so an
 * unknown type at run time is a bug and throws.
 */
import type { ElementDef } from '../../model/types.js';
import type { ElementInstance } from '../state.js';
import { adHocInner, adHocSubProcess } from './ad-hoc-sub-process.js';
import { businessRuleTask } from './business-rule-task.js';
import { callActivity } from './call-activity.js';
import { catchEvent } from './catch-event.js';
import type { ElementBehavior } from './element-behavior.js';
import { eventBasedGateway } from './event-based-gateway.js';
import { jobTask } from './job-task.js';
import { multiInstanceBody } from './multi-instance.js';
import { firedEvent, passThrough } from './simple.js';
import { processRoot, subProcess } from './sub-process.js';
import { throwEventBehavior } from './throw-event.js';
import { userTask } from './user-task.js';

const BEHAVIORS: Readonly<Record<string, ElementBehavior>> = {
  // tasks
  'bpmn:Task': passThrough,
  'bpmn:ManualTask': passThrough,
  'bpmn:ServiceTask': jobTask,
  'bpmn:SendTask': jobTask,
  'bpmn:BusinessRuleTask': businessRuleTask,
  'bpmn:ScriptTask': jobTask,
  'bpmn:UserTask': userTask,
  'bpmn:ReceiveTask': catchEvent,
  // gateways
  'bpmn:ExclusiveGateway': passThrough,
  'bpmn:ParallelGateway': passThrough,
  'bpmn:InclusiveGateway': passThrough,
  'bpmn:ComplexGateway': passThrough,
  'bpmn:EventBasedGateway': eventBasedGateway,
  // containers
  'bpmn:Process': processRoot,
  'bpmn:SubProcess': subProcess,
  'bpmn:Transaction': subProcess,
  'bpmn:AdHocSubProcess': adHocSubProcess,
  'bpmn:CallActivity': callActivity,
  // events
  'bpmn:StartEvent': firedEvent,
  'bpmn:BoundaryEvent': firedEvent,
  'bpmn:IntermediateCatchEvent': catchEvent,
  'bpmn:IntermediateThrowEvent': throwEventBehavior,
  'bpmn:EndEvent': throwEventBehavior,
};

/** The element types the engine can execute. */
export const EXECUTABLE_TYPES: ReadonlySet<string> = new Set(Object.keys(BEHAVIORS));

/** True for the multi-instance / loop body (not one of its iterations). */
export function isBody(el: ElementDef, ei: ElementInstance): boolean {
  return (el.multiInstance !== undefined || el.loop !== undefined) && ei.iteration === undefined;
}

export function behaviorOf(el: ElementDef, ei: ElementInstance): ElementBehavior {
  if (isBody(el, ei)) return multiInstanceBody;
  if (ei.adHocInner) return adHocInner;
  const b = BEHAVIORS[el.type];
  if (!b) throw new Error(`Expected a behavior for ${el.type} (${el.id}), but none is registered`);
  return b;
}
