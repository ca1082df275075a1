/**
 * Deployments: a BPMN document is compiled outside any transaction, then stored with its process
 * definitions in one. A byte-identical document deploys nothing new; each process of a new document
 * becomes the next version of its id, and its start events (message, signal, timer, conditional)
 * replace those of the previous version.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { compileBpmn } from '../model/compile.js';
import type { CompileOptions } from '../model/types.js';
import type { DefinitionRow, Store } from '../storage/port.js';
import type { DeploymentView } from './api-types.js';
import { EngineError } from './api-types.js';
import type { GroupCommit, Work } from './group-commit.js';
import { registerStartEvents } from './start-events.js';

export interface DeployDeps {
  readonly store: Store;
  readonly commits: GroupCommit;
  readonly now: () => number;
  readonly logger?: Logger;
  /** After commit: start timers may have been registered. */
  readonly deployed?: () => void;
  readonly compileOptions?: CompileOptions;
  /** In the deployment's transaction: records it in the audit log. */
  readonly audited?: (w: Work, deployment: DeploymentView) => Promise<void>;
}

async function deploymentView(
  defs: { ofDeployment(id: string): Promise<DefinitionRow[]> },
  id: string,
): Promise<DeploymentView> {
  return {
    id,
    processes: (await defs.ofDeployment(id)).map((d) => ({
      processId: d.processId,
      version: d.version,
      name: d.name,
    })),
  };
}

export async function deploy(d: DeployDeps, xml: string): Promise<{ created: boolean; deployment: DeploymentView }> {
  const hash = createHash('sha256').update(xml).digest('hex');
  const known = await d.store.read.definitions.deploymentByHash(hash);
  if (known) return { created: false, deployment: await deploymentView(d.store.read.definitions, known.id) };
  const { processes, problems } = await compileBpmn(xml, d.compileOptions);
  if (problems.length) {
    const more =
      problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new EngineError(400, 'INVALID_BPMN', `The BPMN document cannot be deployed: ${problems[0]!.message}${more}`, [
      ...problems,
    ]);
  }
  if (!processes.length)
    throw new EngineError(400, 'INVALID_BPMN', 'The BPMN document holds no executable process', []);
  const id = String((await d.store.reserveIds('deployment', 1)).first);
  return d.commits.submit({
    run: async (w) => {
      const again = await w.tx.definitions.deploymentByHash(hash);
      if (again) return { created: false, deployment: await deploymentView(w.tx.definitions, again.id) };
      const now = d.now();
      await w.tx.definitions.insertDeployment(id, hash, xml, now);
      for (const model of processes) {
        const version = ((await w.tx.definitions.latest(model.id))?.version ?? 0) + 1;
        const def = {
          key: `${model.id}:${version}`,
          processId: model.id,
          version,
          name: model.name ?? null,
          versionTag: model.versionTag ?? null,
          deploymentId: id,
          model,
          deployedAt: now,
        };
        await w.tx.definitions.insertDefinition(def);
        await registerStartEvents(w.tx, def, now);
      }
      const view = await deploymentView(w.tx.definitions, id);
      await d.audited?.(w, view);
      w.tx.notify({ kind: 'deployed' });
      w.after(() => {
        d.logger?.info({ deploymentId: id, processes: processes.map((p) => p.id) }, 'deployed');
        d.deployed?.();
      });
      return { created: true, deployment: view };
    },
  });
}
