/**
 * The PostgreSQL schema as numbered migrations (./migrate.ts applies them, recorded in
 * `schema_migrations`). The tables mirror the SQLite adapter's (../sqlite/schema.ts); times are
 * epoch milliseconds in BIGINT, JSON is kept as text, and `seq` columns give the insertion order
 * that SQLite's rowid gives.
 */
import type { Migration } from '../sqlite/schema.js';

export type { Migration };

const V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE deployments (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, xml TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE definitions (
  key TEXT PRIMARY KEY, process_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT, version_tag TEXT,
  deployment_id TEXT NOT NULL, model TEXT NOT NULL, deployed_at BIGINT NOT NULL, seq BIGSERIAL,
  UNIQUE (process_id, version));
CREATE TABLE instances (
  id TEXT PRIMARY KEY, process_id TEXT NOT NULL, version INTEGER NOT NULL, definition_key TEXT NOT NULL,
  business_key TEXT, status TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT,
  parent_id TEXT, start_key TEXT, revision INTEGER NOT NULL, state TEXT NOT NULL, seq BIGSERIAL);
CREATE INDEX instances_process ON instances (process_id, status);
CREATE INDEX instances_definition ON instances (definition_key, status);
CREATE INDEX instances_bkey ON instances (business_key);
CREATE INDEX instances_started ON instances (started_at DESC, seq DESC);
CREATE TABLE history (
  seq BIGSERIAL PRIMARY KEY, instance_id TEXT NOT NULL, time BIGINT NOT NULL,
  type TEXT NOT NULL, element_id TEXT, element_type TEXT, data TEXT);
CREATE INDEX history_instance ON history (instance_id, seq);
CREATE TABLE jobs (
  key TEXT PRIMARY KEY, instance_id TEXT NOT NULL, element_key TEXT NOT NULL, element_id TEXT NOT NULL,
  type TEXT NOT NULL, retries INTEGER NOT NULL, headers TEXT NOT NULL, state TEXT NOT NULL,
  due_at BIGINT NOT NULL, worker TEXT, lock_until BIGINT, error_message TEXT, created_at BIGINT NOT NULL,
  seq BIGSERIAL);
CREATE INDEX jobs_type ON jobs (type, state, created_at);
CREATE TABLE timers (
  key TEXT PRIMARY KEY, instance_id TEXT, element_key TEXT, element_id TEXT NOT NULL,
  definition_key TEXT, due_at BIGINT NOT NULL, repeat TEXT);
CREATE INDEX timers_due ON timers (due_at);
CREATE TABLE subscriptions (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, correlation_key TEXT,
  instance_id TEXT, element_key TEXT, element_id TEXT NOT NULL, definition_key TEXT, created_at BIGINT NOT NULL,
  seq BIGSERIAL);
CREATE INDEX subscriptions_name ON subscriptions (kind, name, correlation_key, created_at);
CREATE TABLE messages (
  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, correlation_key TEXT, variables TEXT NOT NULL,
  expires_at BIGINT NOT NULL, message_id TEXT, created_at BIGINT NOT NULL);
CREATE INDEX messages_name ON messages (name, correlation_key);
CREATE INDEX messages_expiry ON messages (expires_at);
CREATE TABLE message_ids (message_id TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
CREATE INDEX message_ids_expiry ON message_ids (expires_at);
CREATE TABLE user_tasks (
  id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, element_key TEXT NOT NULL, element_id TEXT NOT NULL,
  name TEXT, assignee TEXT, candidate_groups TEXT NOT NULL, form_key TEXT, created_at BIGINT NOT NULL,
  seq BIGSERIAL);
CREATE INDEX user_tasks_instance ON user_tasks (instance_id);
CREATE INDEX user_tasks_assignee ON user_tasks (assignee);
CREATE TABLE incidents (
  id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, element_key TEXT NOT NULL, element_id TEXT NOT NULL,
  type TEXT NOT NULL, message TEXT NOT NULL, job_key TEXT, created_at BIGINT NOT NULL, seq BIGSERIAL);
CREATE TABLE idempotency (key TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL);
`;

const V2 = `
CREATE TABLE inbox (
  seq BIGSERIAL PRIMARY KEY, target TEXT, kind TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX inbox_target ON inbox (target, seq);
CREATE INDEX inbox_created ON inbox (created_at);
ALTER TABLE incidents ADD COLUMN command TEXT;
CREATE UNIQUE INDEX instances_active_start_key ON instances (start_key)
  WHERE start_key IS NOT NULL AND status IN ('active', 'suspended');
CREATE INDEX jobs_worker ON jobs (worker);
CREATE INDEX incidents_instance ON incidents (instance_id);
ALTER TABLE subscriptions ADD COLUMN process_id TEXT;
ALTER TABLE messages ADD COLUMN processes TEXT NOT NULL DEFAULT '[]';
INSERT INTO meta (key, value) VALUES ('deploys', 0) ON CONFLICT DO NOTHING;
`;

/**
 * Version 3: equality lookups and unique keys on text a user chooses (business keys, correlation and
 * start keys, message names and ids, idempotency keys, assignees) through hash indexes, which take
 * text of any length: a btree entry holds at most 2,704 bytes, so a long key was refused with 400 on
 * PostgreSQL while SQLite took it. Uniqueness becomes an exclusion constraint over a hash index (an
 * `INSERT … ON CONFLICT DO NOTHING` honours it like a unique index).
 */
const V3 = `
DROP INDEX instances_bkey;
CREATE INDEX instances_bkey ON instances USING hash (business_key);
DROP INDEX instances_active_start_key;
ALTER TABLE instances ADD CONSTRAINT instances_active_start_key
  EXCLUDE USING hash (start_key WITH =) WHERE (start_key IS NOT NULL AND status IN ('active', 'suspended'));
DROP INDEX subscriptions_name;
CREATE INDEX subscriptions_name ON subscriptions USING hash (name);
CREATE INDEX subscriptions_correlation ON subscriptions USING hash (correlation_key);
CREATE INDEX subscriptions_start ON subscriptions (kind) WHERE instance_id IS NULL;
DROP INDEX messages_name;
CREATE INDEX messages_name ON messages USING hash (name);
CREATE INDEX messages_correlation ON messages USING hash (correlation_key);
ALTER TABLE message_ids DROP CONSTRAINT message_ids_pkey;
ALTER TABLE message_ids ADD CONSTRAINT message_ids_unique EXCLUDE USING hash (message_id WITH =);
ALTER TABLE idempotency DROP CONSTRAINT idempotency_pkey;
ALTER TABLE idempotency ADD CONSTRAINT idempotency_unique EXCLUDE USING hash (key WITH =);
DROP INDEX user_tasks_assignee;
CREATE INDEX user_tasks_assignee ON user_tasks USING hash (assignee);
`;

/** Version 4: audit log, batch operations, retention indexes. */
const V4 = `
CREATE TABLE audit_log (
  seq BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, actor TEXT, action TEXT NOT NULL,
  target_type TEXT NOT NULL, target_id TEXT, reason TEXT, details TEXT);
CREATE INDEX audit_target ON audit_log (target_type, target_id);
CREATE INDEX audit_time ON audit_log (time);
CREATE TABLE batch_operations (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, filter TEXT NOT NULL, params TEXT NOT NULL,
  actor TEXT, reason TEXT, total INTEGER NOT NULL, created_at BIGINT NOT NULL, ended_at BIGINT);
CREATE INDEX batch_operations_state ON batch_operations (state, created_at);
CREATE TABLE batch_items (
  batch_id TEXT NOT NULL, instance_id TEXT NOT NULL, state TEXT NOT NULL, message TEXT, attempts INTEGER NOT NULL,
  claimed_by TEXT, claim_until BIGINT, updated_at BIGINT, PRIMARY KEY (batch_id, instance_id));
CREATE INDEX batch_items_state ON batch_items (state, batch_id);
CREATE INDEX instances_ended ON instances (ended_at) WHERE status IN ('completed', 'cancelled');
CREATE INDEX idempotency_created ON idempotency (created_at);
`;

/** Version 5: as ../sqlite/schema.ts's version 5 (resources, decisions, forms). */
const V5 = `
CREATE TABLE resources (
  deployment_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, checksum TEXT NOT NULL, content TEXT NOT NULL,
  seq BIGSERIAL, PRIMARY KEY (deployment_id, name));
INSERT INTO resources (deployment_id, name, kind, checksum, content)
  SELECT d.id,
    COALESCE((SELECT f.process_id FROM definitions f WHERE f.deployment_id = d.id ORDER BY f.seq LIMIT 1), 'process') || '.bpmn',
    'bpmn', d.hash, d.xml
  FROM deployments d ORDER BY d.created_at, d.id;
ALTER TABLE definitions ADD COLUMN resource_name TEXT, ADD COLUMN checksum TEXT;
UPDATE definitions f SET resource_name = r.name, checksum = r.checksum FROM resources r WHERE r.deployment_id = f.deployment_id;
CREATE INDEX definitions_deployment ON definitions (deployment_id);
ALTER TABLE deployments DROP COLUMN hash, DROP COLUMN xml;
CREATE TABLE decision_requirements (
  key TEXT PRIMARY KEY, drg_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT, deployment_id TEXT NOT NULL,
  resource_name TEXT NOT NULL, checksum TEXT NOT NULL, graph TEXT NOT NULL, deployed_at BIGINT NOT NULL,
  seq BIGSERIAL, UNIQUE (drg_id, version));
CREATE TABLE decisions (
  key TEXT PRIMARY KEY, decision_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT, version_tag TEXT,
  drg_key TEXT NOT NULL, drg_id TEXT NOT NULL, deployment_id TEXT NOT NULL, deployed_at BIGINT NOT NULL,
  seq BIGSERIAL, UNIQUE (decision_id, version));
CREATE INDEX decisions_tag ON decisions (decision_id, version_tag);
CREATE INDEX decisions_deployment ON decisions (deployment_id, decision_id);
CREATE INDEX decisions_drg ON decisions (drg_key);
CREATE TABLE forms (
  key TEXT PRIMARY KEY, form_id TEXT NOT NULL, version INTEGER NOT NULL, version_tag TEXT, deployment_id TEXT NOT NULL,
  resource_name TEXT NOT NULL, checksum TEXT NOT NULL, deployed_at BIGINT NOT NULL,
  seq BIGSERIAL, UNIQUE (form_id, version));
CREATE INDEX forms_tag ON forms (form_id, version_tag);
CREATE INDEX forms_deployment ON forms (deployment_id, form_id);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: V1 },
  { version: 2, name: 'inbox, incident commands, unique active start keys, message correlation per process', sql: V2 },
  { version: 3, name: 'hash indexes for keys of any length', sql: V3 },
  { version: 4, name: 'audit log, batch operations, retention indexes', sql: V4 },
  { version: 5, name: 'deployments of several resources, decisions and forms', sql: V5 },
];
