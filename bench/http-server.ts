/**
 * The server side of workload (f), run as a child process so the HTTP clients do not share its
 * event loop: `node --import tsx bench/http-server.ts <dbPath>`. Prints its URL, stops when stdin closes.
 */
import { startServer } from '../engine/src/main.js';
import { createLogger } from '../engine/src/runtime/logger.js';
import { externalJobModel, userTaskModel } from './models.js';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('Expected the database path as the first argument');
const server = await startServer({ port: 0, dbPath, logger: createLogger({ level: 'warn' }) });
await server.engine.deploy(externalJobModel());
await server.engine.deploy(userTaskModel('zeebe'));
process.stdout.write(`${server.url}\n`);
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
process.stdin.resume();
