/**
 * The storage contract suite: what every adapter of engine/src/storage/port.ts must do, run by one
 * small test file per adapter (sqlite-file, sqlite-memory, postgres .test.ts) against real databases.
 * Every repository method and every read is exercised, with the semantics the port promises:
 * own writes seen inside a transaction, a throw rolls back, stale revisions and taken unique keys
 * are ConflictErrors, buffered messages once per process, inbox order per target, and nothing
 * claimed twice — by two stores at once where the adapter allows several writers.
 */
import { describe } from 'vitest';
import type { Harness } from './contract-data.js';
import { consoleContract } from './contract-console.js';
import {
  multiNodeContract,
  noticeSizeContract,
  oneStoreContract,
  singleWriterContract,
} from './contract-concurrency.js';
import { gaugeContract } from './contract-gauges.js';
import { idContract } from './contract-ids.js';
import { instanceContract, transactionContract } from './contract-instances.js';
import {
  definitionContract,
  idempotencyContract,
  longKeyContract,
  messageContract,
  subscriptionContract,
  taskContract,
} from './contract-messages.js';
import { inboxContract, jobContract, timerContract } from './contract-work.js';

export type { Harness, Opened } from './contract-data.js';

/** Declares the whole contract for the adapter `h`. */
export function storageContract(h: Harness): void {
  describe(`storage contract: ${h.name}`, () => {
    describe('transactions', () => transactionContract(h));
    describe('instances and history', () => instanceContract(h));
    describe('ids and migrations', () => idContract(h));
    describe('jobs', () => jobContract(h));
    describe('timers', () => timerContract(h));
    describe('inbox', () => inboxContract(h));
    describe('messages', () => messageContract(h));
    describe('subscriptions', () => subscriptionContract(h));
    describe('idempotency', () => idempotencyContract(h));
    describe('long keys', () => longKeyContract(h));
    describe('user tasks and incidents', () => taskContract(h));
    describe('definitions', () => definitionContract(h));
    describe('console reads', () => consoleContract(h));
    describe('metric gauges', () => gaugeContract(h));
    if (h.nodes === 'many') {
      describe('several stores on one database', () => multiNodeContract(h));
      describe('notices', () => noticeSizeContract(h));
    } else describe('one writer', () => oneStoreContract(h));
    if (h.nodes === 'one') describe('one writer per file', () => singleWriterContract(h));
  });
}
