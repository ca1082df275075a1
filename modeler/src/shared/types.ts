/** Shapes of the API answers the pages read: the engine's own API and console types. */
import type { InstanceView } from '../../../engine/src/runtime/api-types';

export type {
  InstanceStatus,
  IncidentView as Incident,
  HistoryEntry,
  ProcessView as ProcessVersion,
  DeploymentView as Deployment,
  UserTaskView as UserTask,
} from '../../../engine/src/runtime/api-types';
/** History events: the engine's typed union (core/history.ts), shared, not re-declared. */
export type { AuditFields, HistoryEvent, HistoryType } from '../../../engine/src/core/history';
export type {
  DefinitionSummary,
  InstanceSummary,
  InstanceWaits,
  Heatmap,
  StalledInstance,
  DashboardData as Dashboard,
} from '../../../engine/src/runtime/console-types';

/** `GET /api/instances/:id`: the contract's instance plus the token count per element. */
export type Instance = InstanceView & { tokens?: Record<string, number> };
