/**
 * Deployments of one or more resources — BPMN processes, DMN decisions, Camunda Forms — all or
 * nothing: every resource is compiled and checked outside any transaction (./deploy-compile.ts),
 * then stored with its versions in one (./deploy-versions.ts), versioned per id as Camunda 8 does.
 * A deployment whose resources were all deployed unchanged before creates nothing and answers the
 * versions they have. Any caller deploys through {@link deploy}: the HTTP route (raw XML, multipart,
 * JSON), the command line, Camunda's `/v2/deployments`.
 */
import type { Logger } from 'pino';
import type { CompileOptions } from '../model/types.js';
import type { Store } from '../storage/port.js';
import type { DeploymentView } from './api-types.js';
import { compileDeployment, type DeploymentProblem, type DeploymentResource } from './deploy-compile.js';
import { unchangedVersions, writeVersions, type ResourceVersions } from './deploy-versions.js';
import type { GroupCommit, Work } from './group-commit.js';

export type { DeploymentResource } from './deploy-compile.js';

export interface DeployDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly now: () => number;
  readonly logger?: Logger;
  /** After commit: start timers may have been registered, decisions and forms may have changed. */
  readonly deployed?: () => void;
  readonly compileOptions?: CompileOptions;
  /** In the deployment's transaction: records it in the audit log. */
  readonly audited?: (w: Work, deployment: DeploymentView) => Promise<void>;
}

/**
 * Deploys `input`: one document (BPMN or DMN XML, told apart by its root element) or a list of
 * resources. `created` is false when nothing new was stored. Bad input rejects with a 400
 * EngineError listing every problem ({@link compileDeployment}).
 */
export async function deploy(
  d: DeployDeps,
  input: string | readonly DeploymentResource[],
): Promise<{ created: boolean; deployment: DeploymentView }> {
  const list = typeof input === 'string' ? [{ content: input }] : input;
  const { resources, warnings } = await compileDeployment(list, d.compileOptions);
  const id = String((await d.store.reserveIds('deployment', 1)).first);
  return d.commits.submit({
    run: async (w) => {
      const unchanged: ResourceVersions[] = [];
      for (const r of resources) {
        const found = await unchangedVersions(w.tx, r);
        if (!found) break;
        unchanged.push(found);
      }
      if (unchanged.length === resources.length)
        return { created: false, deployment: view(newestDeployment(unchanged), unchanged, warnings) };
      const now = d.now();
      await w.tx.definitions.insertDeployment(id, now);
      const written: ResourceVersions[] = [];
      for (const r of resources) written.push(await writeVersions(w.tx, id, r, now));
      w.tx.notify({ kind: 'deployed' });
      w.after(() => {
        d.logger?.info({ deploymentId: id, resources: resources.map((r) => r.name) }, 'deployed');
        d.deployed?.();
      });
      const deployment = view(id, written, warnings);
      await d.audited?.(w, deployment);
      return { created: true, deployment };
    },
  });
}

/** The deployment that last deployed any of these unchanged resources. */
function newestDeployment(found: readonly ResourceVersions[]): string {
  const ids = found.flatMap((f) => [
    ...f.definitions.map((x) => x.deploymentId),
    ...(f.requirements ? [f.requirements.deploymentId] : []),
    ...f.forms.map((x) => x.deploymentId),
  ]);
  return ids.reduce((a, b) => (Number(b) > Number(a) ? b : a));
}

function view(id: string, found: readonly ResourceVersions[], warnings: readonly DeploymentProblem[]): DeploymentView {
  return {
    id,
    processes: found.flatMap((f) =>
      f.definitions.map((p) => ({
        processId: p.processId,
        version: p.version,
        name: p.name,
        key: p.key,
        resourceName: p.resourceName,
        versionTag: p.versionTag,
      })),
    ),
    decisions: found.flatMap((f) =>
      f.decisions.map((x) => ({
        decisionId: x.decisionId,
        version: x.version,
        name: x.name,
        decisionRequirementsId: x.decisionRequirementsId,
        key: x.key,
        decisionRequirementsKey: x.decisionRequirementsKey,
        resourceName: f.resource.name,
        versionTag: x.versionTag,
      })),
    ),
    decisionRequirements: found.flatMap((f) =>
      f.requirements
        ? [
            {
              decisionRequirementsId: f.requirements.decisionRequirementsId,
              version: f.requirements.version,
              name: f.requirements.name,
              key: f.requirements.key,
              resourceName: f.requirements.resourceName,
            },
          ]
        : [],
    ),
    forms: found.flatMap((f) =>
      f.forms.map((x) => ({
        formId: x.formId,
        version: x.version,
        key: x.key,
        resourceName: x.resourceName,
        versionTag: x.versionTag,
      })),
    ),
    warnings: [...warnings],
  };
}
