/**
 * The SQLite schema as numbered migrations, applied in order at open and recorded in the table
 * `schema_migrations` (see ./migrate.ts). Never change a migration that has been released: add one.
 * Instance state is one JSON document per row; the other tables index it.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Version 1: the schema of the first release (databases written before migrations existed have exactly it). */
const V1 = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deployments (
  id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, xml TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS definitions (
  key TEXT PRIMARY KEY, process_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT, version_tag TEXT,
  deployment_id TEXT NOT NULL, model TEXT NOT NULL, deployed_at INTEGER NOT NULL,
  UNIQUE (process_id, version));
CREATE TABLE IF NOT EXISTS instances (
  id TEXT PRIMARY KEY, process_id TEXT NOT NULL, version INTEGER NOT NULL, definition_key TEXT NOT NULL,
  business_key TEXT, status TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER,
  parent_id TEXT, start_key TEXT, revision INTEGER NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS instances_process ON instances (process_id, status);
CREATE INDEX IF NOT EXISTS instances_bkey ON instances (business_key);
CREATE INDEX IF NOT EXISTS instances_start_key ON instances (start_key, status);
CREATE TABLE IF NOT EXISTS history (
  seq INTEGER PRIMARY KEY, instance_id TEXT NOT NULL, time INTEGER NOT NULL,
  type TEXT NOT NULL, element_id TEXT, element_type TEXT, data TEXT);
CREATE INDEX IF NOT EXISTS history_instance ON history (instance_id, seq);
CREATE TABLE IF NOT EXISTS jobs (
  key TEXT PRIMARY KEY, instance_id TEXT NOT NULL, element_key TEXT NOT NULL, element_id TEXT NOT NULL,
  type TEXT NOT NULL, retries INTEGER NOT NULL, headers TEXT NOT NULL, state TEXT NOT NULL,
  due_at INTEGER NOT NULL, worker TEXT, lock_until INTEGER, error_message TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_type ON jobs (type, state, created_at);
CREATE TABLE IF NOT EXISTS timers (
  key TEXT PRIMARY KEY, instance_id TEXT, element_key TEXT, element_id TEXT NOT NULL,
  definition_key TEXT, due_at INTEGER NOT NULL, repeat TEXT);
CREATE INDEX IF NOT EXISTS timers_due ON timers (due_at);
CREATE TABLE IF NOT EXISTS subscriptions (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, correlation_key TEXT,
  instance_id TEXT, element_key TEXT, element_id TEXT NOT NULL, definition_key TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS subscriptions_name ON subscriptions (kind, name, correlation_key, created_at);
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, correlation_key TEXT, variables TEXT NOT NULL,
  expires_at INTEGER NOT NULL, message_id TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS messages_name ON messages (name, correlation_key);
CREATE INDEX IF NOT EXISTS messages_expiry ON messages (expires_at);
CREATE TABLE IF NOT EXISTS message_ids (message_id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS message_ids_expiry ON message_ids (expires_at);
CREATE TABLE IF NOT EXISTS user_tasks (
  id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, element_key TEXT NOT NULL, element_id TEXT NOT NULL,
  name TEXT, assignee TEXT, candidate_groups TEXT NOT NULL, form_key TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS user_tasks_instance ON user_tasks (instance_id);
CREATE INDEX IF NOT EXISTS user_tasks_assignee ON user_tasks (assignee);
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, element_key TEXT NOT NULL, element_id TEXT NOT NULL,
  type TEXT NOT NULL, message TEXT NOT NULL, job_key TEXT, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

/**
 * Version 2: the inbox between instances, refused commands kept with their incident, unique active
 * start keys, and what a message needs to correlate once per process.
 */
const V2 = `
CREATE TABLE IF NOT EXISTS inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT, kind TEXT NOT NULL, payload TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS inbox_target ON inbox (target, seq);
CREATE INDEX IF NOT EXISTS inbox_created ON inbox (created_at);
ALTER TABLE incidents ADD COLUMN command TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS instances_active_start_key ON instances (start_key)
  WHERE start_key IS NOT NULL AND status IN ('active', 'suspended');
CREATE INDEX IF NOT EXISTS jobs_worker ON jobs (worker);
ALTER TABLE subscriptions ADD COLUMN process_id TEXT;
UPDATE subscriptions SET process_id = COALESCE(
  (SELECT i.process_id FROM instances i WHERE i.id = subscriptions.instance_id),
  (SELECT d.process_id FROM definitions d WHERE d.key = subscriptions.definition_key));
ALTER TABLE messages ADD COLUMN processes TEXT NOT NULL DEFAULT '[]';
UPDATE instances SET start_key = replace(start_key, char(0), char(31)) WHERE start_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS incidents_instance ON incidents (instance_id);
`;

/**
 * Version 4: the audit log of operator actions,
 * batch operations and their items, and the indexes retention deletes by.
 */
const V4 = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, actor TEXT, action TEXT NOT NULL,
  target_type TEXT NOT NULL, target_id TEXT, reason TEXT, details TEXT);
CREATE INDEX IF NOT EXISTS audit_target ON audit_log (target_type, target_id);
CREATE INDEX IF NOT EXISTS audit_time ON audit_log (time);
CREATE TABLE IF NOT EXISTS batch_operations (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, filter TEXT NOT NULL, params TEXT NOT NULL,
  actor TEXT, reason TEXT, total INTEGER NOT NULL, created_at INTEGER NOT NULL, ended_at INTEGER);
CREATE INDEX IF NOT EXISTS batch_operations_state ON batch_operations (state, created_at);
CREATE TABLE IF NOT EXISTS batch_items (
  batch_id TEXT NOT NULL, instance_id TEXT NOT NULL, state TEXT NOT NULL, message TEXT, attempts INTEGER NOT NULL,
  claimed_by TEXT, claim_until INTEGER, updated_at INTEGER, PRIMARY KEY (batch_id, instance_id));
CREATE INDEX IF NOT EXISTS batch_items_state ON batch_items (state, batch_id);
CREATE INDEX IF NOT EXISTS instances_ended ON instances (ended_at) WHERE status IN ('completed', 'cancelled');
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created_at);
`;

/**
 * Version 5: deployments of several resources (BPMN, DMN, forms), each kept in `resources` and
 * versioned per id like Camunda 8; decisions with their requirements graphs, and forms. A
 * deployment of the earlier schemas was one BPMN document: it becomes one resource, named after its
 * first process as a raw deployment is named now, so that redeploying it makes no new version.
 */
const V5 = `
CREATE TABLE resources (
  deployment_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, checksum TEXT NOT NULL, content TEXT NOT NULL,
  PRIMARY KEY (deployment_id, name));
INSERT INTO resources (deployment_id, name, kind, checksum, content)
  SELECT d.id,
    COALESCE((SELECT f.process_id FROM definitions f WHERE f.deployment_id = d.id ORDER BY f.rowid LIMIT 1), 'process') || '.bpmn',
    'bpmn', d.hash, d.xml
  FROM deployments d;
ALTER TABLE definitions ADD COLUMN resource_name TEXT;
ALTER TABLE definitions ADD COLUMN checksum TEXT;
UPDATE definitions SET
  resource_name = (SELECT r.name FROM resources r WHERE r.deployment_id = definitions.deployment_id),
  checksum = (SELECT r.checksum FROM resources r WHERE r.deployment_id = definitions.deployment_id);
CREATE INDEX definitions_deployment ON definitions (deployment_id);
CREATE TABLE deployments_v3 (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
INSERT INTO deployments_v3 (id, created_at) SELECT id, created_at FROM deployments;
DROP TABLE deployments;
ALTER TABLE deployments_v3 RENAME TO deployments;
CREATE TABLE decision_requirements (
  key TEXT PRIMARY KEY, drg_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT, deployment_id TEXT NOT NULL,
  resource_name TEXT NOT NULL, checksum TEXT NOT NULL, graph TEXT NOT NULL, deployed_at INTEGER NOT NULL,
  UNIQUE (drg_id, version));
CREATE TABLE decisions (
  key TEXT PRIMARY KEY, decision_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT, version_tag TEXT,
  drg_key TEXT NOT NULL, drg_id TEXT NOT NULL, deployment_id TEXT NOT NULL, deployed_at INTEGER NOT NULL,
  UNIQUE (decision_id, version));
CREATE INDEX decisions_tag ON decisions (decision_id, version_tag);
CREATE INDEX decisions_deployment ON decisions (deployment_id, decision_id);
CREATE INDEX decisions_drg ON decisions (drg_key);
CREATE TABLE forms (
  key TEXT PRIMARY KEY, form_id TEXT NOT NULL, version INTEGER NOT NULL, version_tag TEXT, deployment_id TEXT NOT NULL,
  resource_name TEXT NOT NULL, checksum TEXT NOT NULL, deployed_at INTEGER NOT NULL,
  UNIQUE (form_id, version));
CREATE INDEX forms_tag ON forms (form_id, version_tag);
CREATE INDEX forms_deployment ON forms (deployment_id, form_id);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: V1 },
  { version: 2, name: 'inbox, incident commands, unique active start keys, message correlation per process', sql: V2 },
  // PostgreSQL's version 3 (hash indexes for keys of any length) has nothing to do on SQLite
  { version: 3, name: 'nothing (hash indexes of PostgreSQL)', sql: '' },
  { version: 4, name: 'audit log, batch operations, retention indexes', sql: V4 },
  { version: 5, name: 'deployments of several resources, decisions and forms', sql: V5 },
];
