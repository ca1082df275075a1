/**
 * Baton's public library API.
 *
 * @example
 *   import { openEngine, BpmnError } from 'baton';
 *   const engine = await openEngine({ dbPath: './data/baton.db' });
 *   engine.handle('charge-card', async (job) => {
 *     if (job.variables.declined) throw new BpmnError('PAYMENT_DECLINED');
 *     return { charged: true };
 *   });
 *   engine.start();
 */
export { openEngine, Engine } from './runtime/engine.js';
export type { EngineOptions } from './runtime/engine.js';
export { BpmnError } from './runtime/bpmn-error.js';
export { EngineError } from './runtime/api-types.js';
export type {
  InstanceView,
  JobView,
  UserTaskView,
  HistoryEntry,
  IncidentView,
  DeploymentView,
  ProcessView,
} from './runtime/api-types.js';
export type { JobHandler, EnginePort } from './runtime/engine-port.js';
export { startServer } from './main.js';
export { compileBpmn } from './model/compile.js';
export type { CompileOptions } from './model/types.js';
export { compileDmn } from './model/dmn/compile.js';
export type { DecisionGraph, DecisionDef, DmnCompileResult } from './model/dmn/types.js';
/** @experimental Not yet called by business rule tasks; see docs/dmn-coverage.md. */
export { evaluateDecision } from './decisions/evaluate.js';
export type { DecisionEvaluation, DecisionAudit, EvaluatedDecision } from './decisions/types.js';
export type { FeelEnv } from './feel/index.js';
