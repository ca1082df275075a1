/**
 * Versions of deployed resources, inside the deployment's transaction, as Camunda 8 keeps them: a
 * resource is unchanged when the latest version of everything it defines came from a resource of
 * the same name and checksum (for a DMN resource: and each of its decisions' latest version is
 * still in that graph). A deployment whose resources are all unchanged creates nothing; otherwise
 * every resource of it gets a new version of everything it defines, so that the processes, decisions
 * and forms of one deployment always find each other (the `deployment` binding).
 */
import type { DecisionRequirementsRow, DecisionRow, DefinitionRow, FormRow, Tx } from '../storage/port.js';
import type { CompiledResource } from './deploy-compile.js';
import { registerStartEvents } from './start-events.js';

/** What one resource defines, in document order: new rows, or the existing ones of an unchanged resource. */
export interface ResourceVersions {
  readonly resource: CompiledResource;
  readonly definitions: readonly DefinitionRow[];
  readonly requirements?: DecisionRequirementsRow;
  readonly decisions: readonly DecisionRow[];
  readonly forms: readonly FormRow[];
}

/** The versions `r` has already when it is unchanged (see the module documentation), else undefined. */
export async function unchangedVersions(tx: Tx, r: CompiledResource): Promise<ResourceVersions | undefined> {
  const same = (row: { resourceName: string; checksum: string } | undefined) =>
    row !== undefined && row.resourceName === r.name && row.checksum === r.checksum;
  const empty = { resource: r, definitions: [], decisions: [], forms: [] };
  if (r.processes) {
    const definitions: DefinitionRow[] = [];
    for (const p of r.processes) {
      const latest = await tx.definitions.latest(p.id);
      if (!same(latest)) return undefined;
      definitions.push(latest!);
    }
    return { ...empty, definitions };
  }
  if (r.graph) {
    const requirements = await tx.decisions.latestRequirements(r.graph.id);
    if (!same(requirements)) return undefined;
    const decisions: DecisionRow[] = [];
    for (const id of Object.keys(r.graph.decisions)) {
      const latest = await tx.decisions.latest(id);
      if (latest?.decisionRequirementsKey !== requirements!.key) return undefined;
      decisions.push(latest);
    }
    return { ...empty, requirements, decisions };
  }
  const form = await tx.forms.latest(r.form!.id);
  return same(form) ? { ...empty, forms: [form!] } : undefined;
}

/**
 * Stores `r` in deployment `deploymentId` with the next version of everything it defines; a new
 * process version's start events replace those of the previous one. A version another node took
 * meanwhile throws ConflictError (the deployment runs again).
 */
export async function writeVersions(
  tx: Tx,
  deploymentId: string,
  r: CompiledResource,
  now: number,
): Promise<ResourceVersions> {
  await tx.definitions.insertResource({
    deploymentId,
    name: r.name,
    kind: r.kind,
    checksum: r.checksum,
    content: r.content,
  });
  const common = { deploymentId, resourceName: r.name, checksum: r.checksum };
  const out = {
    resource: r,
    definitions: [] as DefinitionRow[],
    decisions: [] as DecisionRow[],
    forms: [] as FormRow[],
  };
  for (const model of r.processes ?? []) {
    const version = ((await tx.definitions.latest(model.id))?.version ?? 0) + 1;
    const def: DefinitionRow = {
      key: `${model.id}:${version}`,
      processId: model.id,
      version,
      name: model.name ?? null,
      versionTag: model.versionTag ?? null,
      model,
      deployedAt: now,
      ...common,
    };
    await tx.definitions.insertDefinition(def);
    await registerStartEvents(tx, def, now);
    out.definitions.push(def);
  }
  if (r.graph) return { ...out, ...(await writeDecisions(tx, r, common, now)) };
  if (r.form) {
    const version = ((await tx.forms.latest(r.form.id))?.version ?? 0) + 1;
    const form: FormRow = {
      key: `${r.form.id}@${deploymentId}`,
      formId: r.form.id,
      version,
      versionTag: r.form.versionTag ?? null,
      deployedAt: now,
      ...common,
    };
    await tx.forms.insert(form);
    out.forms.push(form);
  }
  return out;
}

async function writeDecisions(
  tx: Tx,
  r: CompiledResource,
  common: { deploymentId: string; resourceName: string; checksum: string },
  now: number,
): Promise<{ requirements: DecisionRequirementsRow; decisions: DecisionRow[] }> {
  const graph = r.graph!;
  const requirements: DecisionRequirementsRow = {
    key: `${graph.id}@${common.deploymentId}`,
    decisionRequirementsId: graph.id,
    version: ((await tx.decisions.latestRequirements(graph.id))?.version ?? 0) + 1,
    name: graph.name ?? null,
    graph,
    deployedAt: now,
    ...common,
  };
  await tx.decisions.insertRequirements(requirements);
  const decisions: DecisionRow[] = [];
  for (const d of Object.values(graph.decisions)) {
    const row: DecisionRow = {
      key: `${d.id}@${common.deploymentId}`,
      decisionId: d.id,
      version: ((await tx.decisions.latest(d.id))?.version ?? 0) + 1,
      name: d.name ?? null,
      versionTag: d.versionTag ?? null,
      decisionRequirementsKey: requirements.key,
      decisionRequirementsId: graph.id,
      deploymentId: common.deploymentId,
      deployedAt: now,
    };
    await tx.decisions.insertDecision(row);
    decisions.push(row);
  }
  return { requirements, decisions };
}
