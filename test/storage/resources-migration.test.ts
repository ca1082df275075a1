/**
 * Schema version 5 (deployments of several resources) upgrades what earlier versions stored: each
 * deployment's BPMN document becomes its one resource, named after its first process as a raw
 * deployment is named now, so the XML is still served and a redeploy of the same document makes no
 * new version — on SQLite (test/fixtures/storage/schema-v1.db) and on PostgreSQL (a database left at
 * version 4).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/src/runtime/engine.js';
import { migratePostgres } from '../../engine/src/storage/postgres/migrate.js';
import { openPostgresStore } from '../../engine/src/storage/postgres/pg-store.js';
import { MIGRATIONS as PG_MIGRATIONS } from '../../engine/src/storage/postgres/schema.js';
import type { Store } from '../../engine/src/storage/port.js';
import { openSqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';
import { createTestDatabase, describePg } from './pg.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/storage/schema-v1.db', import.meta.url));
const RESTART = readFileSync(fileURLToPath(new URL('../restart.bpmn', import.meta.url)), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'baton-migrate5-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the upgraded store must answer for a deployment `id` of process `processId` with `xml`. */
async function expectUpgraded(store: Store, id: string, processId: string, xml: string): Promise<void> {
  const name = `${processId}.bpmn`;
  const checksum = createHash('sha256').update(xml).digest('hex');
  expect(await store.read.definitions.resource(id, name)).toEqual({
    deploymentId: id,
    name,
    kind: 'bpmn',
    checksum,
    content: xml,
  });
  expect(await store.read.definitions.latest(processId)).toMatchObject({ version: 1, resourceName: name, checksum });
  // and the engine serves the XML and takes a redeploy of the same document as unchanged
  const engine = new Engine(store);
  expect(await engine.getProcessXml(processId)).toBe(xml);
  const again = await engine.deploy(xml);
  expect(again).toMatchObject({ created: false, deployment: { id, processes: [{ processId, version: 1 }] } });
  const changed = await engine.deploy(xml.replace('</bpmn:process>', '<bpmn:task id="Extra_task"/></bpmn:process>'));
  expect(changed.deployment.processes[0]!.version).toBe(2);
  await engine.close();
}

describe('migration 5 on SQLite', () => {
  it('turns each stored BPMN document into the one resource of its deployment', async () => {
    // given a copy of a database of schema version 1 with one deployment of process "restart"
    const path = join(dir, 'v1.db');
    copyFileSync(FIXTURE, path);
    // when the current code opens it, then its deployment is one resource
    const store = await openSqliteStore({ path });
    const xml = (await store.read.definitions.resource('1', 'restart.bpmn'))?.content;
    expect(xml).toContain('id="restart"');
    await expectUpgraded(store, '1', 'restart', xml!);
  });
});

describePg('migration 5 on PostgreSQL', () => {
  it('turns each stored BPMN document into the one resource of its deployment', async () => {
    // given a database at schema version 4 with one deployment as versions before 5 stored it
    const db = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const pool = { query: client.query.bind(client) } as unknown as pg.PoolClient;
        await migratePostgres(pool, PG_MIGRATIONS.slice(0, 4));
        const hash = createHash('sha256').update(RESTART).digest('hex');
        await client.query('INSERT INTO deployments (id, hash, xml, created_at) VALUES ($1, $2, $3, $4)', [
          '7',
          hash,
          RESTART,
          1,
        ]);
        await client.query(
          `INSERT INTO definitions (key, process_id, version, name, version_tag, deployment_id, model, deployed_at)
           VALUES ('restart:1', 'restart', 1, null, null, '7', $1, 1)`,
          [JSON.stringify({ id: 'restart', elements: {}, flows: {}, root: { id: 'restart', type: 'bpmn:Process' } })],
        );
      } finally {
        await client.end();
      }
      // when the current code opens it, then its deployment is one resource
      const store = await openPostgresStore({ url: db.url });
      await expectUpgraded(store, '7', 'restart', RESTART);
    } finally {
      await db.drop();
    }
  });
});
