/**
 * The PostgreSQL repositories and reads of decisions (with their requirements graphs) and forms.
 * Inserts are held back like every write and find a version another node took as a ConflictError.
 * A compiled graph is kept by key (keys hold the deployment id, never reused); the latest version
 * of a decision or form is kept while no deployment happened anywhere (the store checks the
 * deployment counter when each transaction begins), so evaluating a decision costs no round trip.
 */
import type pg from 'pg';
import type { DecisionReads, DecisionRepo, FormReads, FormRepo } from '../port.js';
import type { DecisionRequirementsRow, DecisionRow, FormRow } from '../rows.js';
import { decisionRow, formRow, json, requirementsRow, type Row } from '../sql-mappers.js';

type Query = (sql: string, args?: unknown[]) => Promise<pg.QueryResult<Row>>;
type Defer = (
  sql: string,
  args: unknown[],
  expect: { readonly rows: number; readonly conflict: string },
) => Promise<void>;

/** Caches of decisions and forms every transaction of a store shares (see pg-store.ts PgCaches). */
export class ResourceCaches {
  /** Requirements graphs by key: deployed graphs never change. */
  readonly requirements = new Map<string, DecisionRequirementsRow>();
  /** Latest decision version by id, valid while the deployment counter is unchanged. */
  readonly latestDecisions = new Map<string, DecisionRow>();
  /** Latest form version by id, valid while the deployment counter is unchanged. */
  readonly latestForms = new Map<string, FormRow>();

  /** A deployment happened (here or on another node): latest versions may have changed. */
  deployed(): void {
    this.latestDecisions.clear();
    this.latestForms.clear();
  }
}

const one = async <T>(p: Promise<pg.QueryResult<Row>>, map: (r: Row) => T): Promise<T | undefined> => {
  const r = (await p).rows[0];
  return r ? map(r) : undefined;
};

async function requirements(q: Query, caches: ResourceCaches, key: string, cacheable: boolean) {
  let row = caches.requirements.get(key);
  if (!row) {
    row = await one(q('SELECT * FROM decision_requirements WHERE key = $1', [key]), requirementsRow);
    if (row && cacheable) caches.requirements.set(key, row);
  }
  return row;
}

/**
 * The decision repository of one transaction. `cacheable()` is false once the transaction wrote a
 * deployment: what it reads then may still roll back and must not reach the shared cache.
 */
export function pgDecisionRepo(q: Query, d: Defer, caches: ResourceCaches, cacheable: () => boolean): DecisionRepo {
  return {
    insertRequirements: async (r) => {
      await d(
        `INSERT INTO decision_requirements (key, drg_id, version, name, deployment_id, resource_name, checksum, graph, deployed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          r.key,
          r.decisionRequirementsId,
          r.version,
          r.name,
          r.deploymentId,
          r.resourceName,
          r.checksum,
          json(r.graph),
          r.deployedAt,
        ],
        {
          rows: 1,
          conflict: `version ${r.version} of decision requirements ${r.decisionRequirementsId} exists already`,
        },
      );
    },
    insertDecision: async (r) => {
      await d(
        `INSERT INTO decisions (key, decision_id, version, name, version_tag, drg_key, drg_id, deployment_id, deployed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          r.key,
          r.decisionId,
          r.version,
          r.name,
          r.versionTag,
          r.decisionRequirementsKey,
          r.decisionRequirementsId,
          r.deploymentId,
          r.deployedAt,
        ],
        { rows: 1, conflict: `version ${r.version} of decision ${r.decisionId} exists already` },
      );
      caches.latestDecisions.delete(r.decisionId);
    },
    latestRequirements: async (id) => {
      const key = (
        await q('SELECT key FROM decision_requirements WHERE drg_id = $1 ORDER BY version DESC LIMIT 1', [id])
      ).rows[0]?.key as string | undefined;
      return key ? requirements(q, caches, key, cacheable()) : undefined;
    },
    requirements: (key) => requirements(q, caches, key, cacheable()),
    ofRequirements: async (key) =>
      (await q('SELECT * FROM decisions WHERE drg_key = $1 ORDER BY seq', [key])).rows.map(decisionRow),
    latest: async (id) => {
      const cached = caches.latestDecisions.get(id);
      if (cached) return cached;
      const row = await one(
        q('SELECT * FROM decisions WHERE decision_id = $1 ORDER BY version DESC LIMIT 1', [id]),
        decisionRow,
      );
      if (row && cacheable()) caches.latestDecisions.set(id, row);
      return row;
    },
    byVersion: (id, v) =>
      one(q('SELECT * FROM decisions WHERE decision_id = $1 AND version = $2', [id, v]), decisionRow),
    byTag: (id, tag) =>
      one(
        q('SELECT * FROM decisions WHERE decision_id = $1 AND version_tag = $2 ORDER BY version DESC LIMIT 1', [
          id,
          tag,
        ]),
        decisionRow,
      ),
    inDeployment: (id, dep) =>
      one(q('SELECT * FROM decisions WHERE decision_id = $1 AND deployment_id = $2', [id, dep]), decisionRow),
  };
}

/** The form repository of one transaction (see {@link pgDecisionRepo} for `cacheable`). */
export function pgFormRepo(q: Query, d: Defer, caches: ResourceCaches, cacheable: () => boolean): FormRepo {
  return {
    insert: async (r) => {
      await d(
        `INSERT INTO forms (key, form_id, version, version_tag, deployment_id, resource_name, checksum, deployed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [r.key, r.formId, r.version, r.versionTag, r.deploymentId, r.resourceName, r.checksum, r.deployedAt],
        { rows: 1, conflict: `version ${r.version} of form ${r.formId} exists already` },
      );
      caches.latestForms.delete(r.formId);
    },
    latest: async (id) => {
      const cached = caches.latestForms.get(id);
      if (cached) return cached;
      const row = await one(q('SELECT * FROM forms WHERE form_id = $1 ORDER BY version DESC LIMIT 1', [id]), formRow);
      if (row && cacheable()) caches.latestForms.set(id, row);
      return row;
    },
    ...formLookups(q),
  };
}

function formLookups(q: Query): Pick<FormRepo, 'byVersion' | 'byTag' | 'inDeployment' | 'byKey'> {
  return {
    byVersion: (id, v) => one(q('SELECT * FROM forms WHERE form_id = $1 AND version = $2', [id, v]), formRow),
    byTag: (id, tag) =>
      one(
        q('SELECT * FROM forms WHERE form_id = $1 AND version_tag = $2 ORDER BY version DESC LIMIT 1', [id, tag]),
        formRow,
      ),
    inDeployment: (id, dep) =>
      one(q('SELECT * FROM forms WHERE form_id = $1 AND deployment_id = $2', [id, dep]), formRow),
    byKey: (key) => one(q('SELECT * FROM forms WHERE key = $1', [key]), formRow),
  };
}

/** Committed reads of decisions (never from the latest-version cache: another node may have deployed). */
export function pgDecisionReads(q: Query, caches: ResourceCaches): DecisionReads {
  return {
    all: async () => (await q('SELECT * FROM decisions ORDER BY decision_id, version')).rows.map(decisionRow),
    latest: (id) =>
      one(q('SELECT * FROM decisions WHERE decision_id = $1 ORDER BY version DESC LIMIT 1', [id]), decisionRow),
    byVersion: (id, v) =>
      one(q('SELECT * FROM decisions WHERE decision_id = $1 AND version = $2', [id, v]), decisionRow),
    requirements: (key) => requirements(q, caches, key, true),
  };
}

/** Committed reads of forms. */
export function pgFormReads(q: Query): FormReads {
  const { byVersion, byKey } = formLookups(q);
  return {
    all: async () => (await q('SELECT * FROM forms ORDER BY form_id, version')).rows.map(formRow),
    latest: (id) => one(q('SELECT * FROM forms WHERE form_id = $1 ORDER BY version DESC LIMIT 1', [id]), formRow),
    byVersion,
    byKey,
  };
}
