/**
 * The SQLite repositories and reads of decisions (with their requirements graphs) and forms. A
 * compiled requirements graph is decoded once and kept by key: keys hold the deployment id, which
 * is never reused, so a cached graph can never stand for another one.
 */
import type Database from 'better-sqlite3';
import { ConflictError, type DecisionReads, type DecisionRepo, type FormReads, type FormRepo } from '../port.js';
import type { DecisionRequirementsRow } from '../rows.js';
import { decisionRow, formRow, json, opt, requirementsRow, type Row } from '../sql-mappers.js';

type St = Database.Statement;

/** The prepared statements of decisions and forms, made once per connection. */
export class ResourceStatements {
  readonly insDrg: St;
  readonly insDecision: St;
  readonly latestDrg: St;
  readonly drg: St;
  readonly decisionsOfDrg: St;
  readonly latestDecision: St;
  readonly decisionVersion: St;
  readonly decisionTag: St;
  readonly decisionInDeployment: St;
  readonly allDecisions: St;
  readonly insForm: St;
  readonly latestForm: St;
  readonly formVersion: St;
  readonly formTag: St;
  readonly formInDeployment: St;
  readonly formKey: St;
  readonly allForms: St;
  /** Decoded requirements graphs by key. */
  readonly graphs = new Map<string, DecisionRequirementsRow>();

  constructor(db: Database.Database) {
    const q = (sql: string) => db.prepare(sql);
    this.insDrg = q(
      'INSERT INTO decision_requirements (key, drg_id, version, name, deployment_id, resource_name, checksum, graph, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insDecision = q(
      'INSERT INTO decisions (key, decision_id, version, name, version_tag, drg_key, drg_id, deployment_id, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.latestDrg = q('SELECT key FROM decision_requirements WHERE drg_id = ? ORDER BY version DESC LIMIT 1');
    this.drg = q('SELECT * FROM decision_requirements WHERE key = ?');
    this.decisionsOfDrg = q('SELECT * FROM decisions WHERE drg_key = ? ORDER BY rowid');
    this.latestDecision = q('SELECT * FROM decisions WHERE decision_id = ? ORDER BY version DESC LIMIT 1');
    this.decisionVersion = q('SELECT * FROM decisions WHERE decision_id = ? AND version = ?');
    this.decisionTag = q(
      'SELECT * FROM decisions WHERE decision_id = ? AND version_tag = ? ORDER BY version DESC LIMIT 1',
    );
    this.decisionInDeployment = q('SELECT * FROM decisions WHERE decision_id = ? AND deployment_id = ?');
    this.allDecisions = q('SELECT * FROM decisions ORDER BY decision_id, version');
    this.insForm = q(
      'INSERT INTO forms (key, form_id, version, version_tag, deployment_id, resource_name, checksum, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.latestForm = q('SELECT * FROM forms WHERE form_id = ? ORDER BY version DESC LIMIT 1');
    this.formVersion = q('SELECT * FROM forms WHERE form_id = ? AND version = ?');
    this.formTag = q('SELECT * FROM forms WHERE form_id = ? AND version_tag = ? ORDER BY version DESC LIMIT 1');
    this.formInDeployment = q('SELECT * FROM forms WHERE form_id = ? AND deployment_id = ?');
    this.formKey = q('SELECT * FROM forms WHERE key = ?');
    this.allForms = q('SELECT * FROM forms ORDER BY form_id, version');
  }

  /**
   * A requirements graph by key, decoded once. `cacheable` is false inside a transaction that
   * deployed one: what it reads may still roll back and must not outlive it in the cache.
   */
  requirements(key: string, cacheable = true): DecisionRequirementsRow | undefined {
    let row = this.graphs.get(key);
    if (!row) {
      row = opt(this.drg.get(key), requirementsRow);
      if (row && cacheable) this.graphs.set(key, row);
    }
    return row;
  }
}

/** Maps a taken unique key to a {@link ConflictError} (another node deployed the same version meanwhile). */
function insertOrConflict(run: () => unknown, what: string): void {
  try {
    run();
  } catch (err) {
    if (String((err as { code?: string }).code ?? '').startsWith('SQLITE_CONSTRAINT'))
      throw new ConflictError(`${what} exists already`);
    throw err;
  }
}

/** The decision repository of one transaction; `w` counts a write. */
export function sqliteDecisionRepo(st: ResourceStatements, w: () => void): DecisionRepo {
  let deployed = false;
  return {
    insertRequirements: async (r) => {
      w();
      deployed = true;
      insertOrConflict(
        () =>
          st.insDrg.run(
            r.key,
            r.decisionRequirementsId,
            r.version,
            r.name,
            r.deploymentId,
            r.resourceName,
            r.checksum,
            json(r.graph),
            r.deployedAt,
          ),
        `version ${r.version} of decision requirements ${r.decisionRequirementsId}`,
      );
    },
    insertDecision: async (r) => {
      w();
      insertOrConflict(
        () =>
          st.insDecision.run(
            r.key,
            r.decisionId,
            r.version,
            r.name,
            r.versionTag,
            r.decisionRequirementsKey,
            r.decisionRequirementsId,
            r.deploymentId,
            r.deployedAt,
          ),
        `version ${r.version} of decision ${r.decisionId}`,
      );
    },
    latestRequirements: async (id) => {
      const r = st.latestDrg.get(id) as Row | undefined;
      return r ? st.requirements(r.key, !deployed) : undefined;
    },
    requirements: async (key) => st.requirements(key, !deployed),
    ofRequirements: async (key) => (st.decisionsOfDrg.all(key) as Row[]).map(decisionRow),
    latest: async (id) => opt(st.latestDecision.get(id), decisionRow),
    byVersion: async (id, v) => opt(st.decisionVersion.get(id, v), decisionRow),
    byTag: async (id, tag) => opt(st.decisionTag.get(id, tag), decisionRow),
    inDeployment: async (id, dep) => opt(st.decisionInDeployment.get(id, dep), decisionRow),
  };
}

/** The form repository of one transaction; `w` counts a write. */
export function sqliteFormRepo(st: ResourceStatements, w: () => void): FormRepo {
  return {
    insert: async (r) => {
      w();
      insertOrConflict(
        () =>
          st.insForm.run(
            r.key,
            r.formId,
            r.version,
            r.versionTag,
            r.deploymentId,
            r.resourceName,
            r.checksum,
            r.deployedAt,
          ),
        `version ${r.version} of form ${r.formId}`,
      );
    },
    ...formLookups(st),
  };
}

function formLookups(st: ResourceStatements): Omit<FormRepo, 'insert'> {
  return {
    latest: async (id) => opt(st.latestForm.get(id), formRow),
    byVersion: async (id, v) => opt(st.formVersion.get(id, v), formRow),
    byTag: async (id, tag) => opt(st.formTag.get(id, tag), formRow),
    inDeployment: async (id, dep) => opt(st.formInDeployment.get(id, dep), formRow),
    byKey: async (key) => opt(st.formKey.get(key), formRow),
  };
}

/** Committed reads of decisions. */
export function sqliteDecisionReads(st: ResourceStatements): DecisionReads {
  return {
    all: async () => (st.allDecisions.all() as Row[]).map(decisionRow),
    latest: async (id) => opt(st.latestDecision.get(id), decisionRow),
    byVersion: async (id, v) => opt(st.decisionVersion.get(id, v), decisionRow),
    requirements: async (key) => st.requirements(key),
  };
}

/** Committed reads of forms. */
export function sqliteFormReads(st: ResourceStatements): FormReads {
  const { latest, byVersion, byKey } = formLookups(st);
  return { all: async () => (st.allForms.all() as Row[]).map(formRow), latest, byVersion, byKey };
}
