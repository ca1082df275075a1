#!/usr/bin/env node
// Several `baton serve` nodes on one PostgreSQL database, for trying scale-out on one machine.
//
//   npm run cluster                          three nodes on ports 8081-8083, database `baton`
//   npm run cluster -- --nodes 2 --port 9001 --db postgres://postgres@127.0.0.1:5432/mydb
//
// The database is created when it does not exist. Stop with Ctrl-C (every node shuts down
// gracefully). Also imported by test/run-all.mjs to run the conformance suite on three nodes.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Creates the database of `url` when it does not exist (through the server's `postgres` database). */
export async function ensureDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Expected a plain database name, but got ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
}

/**
 * Starts `nodes` servers on `url` (ports from `port` up, or free ones with port 0); resolves once
 * every node listens, with their URLs and a `stop()` that shuts them down gracefully.
 */
export async function startCluster({ url, nodes = 3, port = 0, env = {}, log = () => {} }) {
  const children = [];
  const urls = [];
  try {
    for (let i = 0; i < nodes; i++) {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bin', 'baton.mjs'), 'serve', '--port', String(port ? port + i : 0), '--db', url],
        { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      child.stderr.on('data', (c) => log(`node ${i + 1}: ${c}`));
      urls.push(
        await new Promise((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (c) => {
            out += c;
            const m = /listening on (http:\/\/\S+)/.exec(out);
            if (m) resolve(m[1]);
          });
          child.once('exit', (code) => reject(new Error(`node ${i + 1} exited (${code}) before listening`)));
        }),
      );
    }
  } catch (err) {
    for (const c of children) c.kill('SIGKILL');
    throw err;
  }
  const stop = () =>
    Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', resolve);
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
  return { urls, stop };
}

async function main() {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '3' },
      port: { type: 'string', default: '8081' },
      db: { type: 'string', default: process.env.BATON_DB ?? 'postgres://postgres@127.0.0.1:5432/baton' },
    },
  });
  await ensureDatabase(values.db);
  const cluster = await startCluster({
    url: values.db,
    nodes: Number(values.nodes),
    port: Number(values.port),
    log: (line) => process.stderr.write(line),
  });
  process.stdout.write(`${cluster.urls.length} nodes on ${new URL(values.db).pathname.slice(1)}:\n`);
  for (const u of cluster.urls) process.stdout.write(`  ${u}\n`);
  const stop = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
