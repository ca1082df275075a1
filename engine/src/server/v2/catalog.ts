/**
 * Camunda keys of deployed things. Baton keys a process definition `<processId>:<version>` and a
 * decision, decision requirements graph or form `<id>@<deploymentId>`; Camunda wants decimal keys.
 * Each is keyed by its deployment id and its place among the things of its kind in that deployment
 * (ordered by id), written as in ./keys.ts. Deployed things never change, so the catalog keeps what
 * it read and reads again only when asked for something it does not know (another node, or a new
 * deployment, may have added it).
 */
import type { EnginePort } from '../../runtime/engine-port.js';
import type { DecisionRequirementsRow, DecisionRow, DefinitionRow, FormRow } from '../../storage/port.js';
import { notFoundKey, pairKey } from './keys.js';

export interface KeyedProcess {
  key: string;
  row: DefinitionRow;
  latest: boolean;
}
export interface KeyedDecision {
  key: string;
  row: DecisionRow;
  requirementsKey: string;
  requirements: DecisionRequirementsRow | undefined;
}
export interface KeyedRequirements {
  key: string;
  row: DecisionRequirementsRow;
}
export interface KeyedForm {
  key: string;
  row: FormRow;
}

interface Snapshot {
  processes: KeyedProcess[];
  decisions: KeyedDecision[];
  requirements: KeyedRequirements[];
  forms: KeyedForm[];
  byKey: Map<string, KeyedProcess>;
  byVersion: Map<string, KeyedProcess>;
}

/** Keys by place in the deployment: `rows` grouped by deployment and ordered by `id`. */
function keyed<R extends { deploymentId: string }>(rows: readonly R[], id: (r: R) => string): Map<R, string> {
  const groups = new Map<string, R[]>();
  for (const r of rows) groups.set(r.deploymentId, [...(groups.get(r.deploymentId) ?? []), r]);
  const keys = new Map<R, string>();
  for (const [deploymentId, group] of groups) {
    group.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
    group.forEach((r, i) => keys.set(r, pairKey(deploymentId, String(i))));
  }
  return keys;
}

/** The deployed things of one engine with their Camunda keys. */
export class Catalog {
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;

  constructor(private readonly engine: EnginePort) {}

  /** Everything, read again now (a search must see what was just deployed). */
  fresh(): Promise<Snapshot> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** The process definition `processId` version `version`, or undefined. */
  async process(processId: string, version: number): Promise<KeyedProcess | undefined> {
    const id = `${processId}:${version}`;
    return (this.snapshot?.byVersion.get(id) ?? (await this.fresh()).byVersion.get(id)) as KeyedProcess | undefined;
  }

  /** The process definition with Camunda key `key`; `404` when there is none. */
  async processByKey(key: string): Promise<KeyedProcess> {
    const found = this.snapshot?.byKey.get(key) ?? (await this.fresh()).byKey.get(key);
    if (!found) throw notFoundKey('Process definition', key);
    return found;
  }

  /** The key of `processId` version `version` (an instance's definition). */
  async processKey(processId: string, version: number): Promise<string> {
    const found = await this.process(processId, version);
    if (!found) throw notFoundKey('Process definition', `${processId}:${version}`);
    return found.key;
  }

  private async load(): Promise<Snapshot> {
    const reads = this.engine.reads;
    const [definitions, decisions, forms] = await Promise.all([
      reads.definitions.all(),
      reads.decisions.all(),
      reads.forms.all(),
    ]);
    const latest = new Map<string, number>();
    for (const d of definitions) latest.set(d.processId, Math.max(latest.get(d.processId) ?? 0, d.version));
    const processKeys = keyed(definitions, (d) => d.processId);
    const processes = definitions.map((row) => ({
      key: processKeys.get(row)!,
      row,
      latest: latest.get(row.processId) === row.version,
    }));
    const graphKeys = [...new Set(decisions.map((d) => d.decisionRequirementsKey))];
    const graphs = (await Promise.all(graphKeys.map((k) => reads.decisions.requirements(k)))).filter(
      (g): g is DecisionRequirementsRow => g !== undefined,
    );
    const requirementKeys = keyed(graphs, (g) => g.decisionRequirementsId);
    const requirements = graphs.map((row) => ({ key: requirementKeys.get(row)!, row }));
    const graphByBatonKey = new Map(requirements.map((r) => [r.row.key, r]));
    const decisionKeys = keyed(decisions, (d) => d.decisionId);
    const formKeys = keyed(forms, (f) => f.formId);
    const snapshot: Snapshot = {
      processes,
      decisions: decisions.map((row) => {
        const graph = graphByBatonKey.get(row.decisionRequirementsKey);
        return { key: decisionKeys.get(row)!, row, requirementsKey: graph?.key ?? '0', requirements: graph?.row };
      }),
      requirements,
      forms: forms.map((row) => ({ key: formKeys.get(row)!, row })),
      byKey: new Map(processes.map((p) => [p.key, p])),
      byVersion: new Map(processes.map((p) => [`${p.row.processId}:${p.row.version}`, p])),
    };
    this.snapshot = snapshot;
    return snapshot;
  }
}
