/**
 * Business rule tasks calling deployed decisions, on PostgreSQL (a database of its own per test;
 * the cases: ./business-rule-cases.ts). Under CI a missing PostgreSQL fails; elsewhere one line says
 * the tests did not run.
 */
import { createTestDatabase, describePg } from '../storage/pg.js';
import { businessRuleTests } from './business-rule-cases.js';

describePg('on PostgreSQL', () => {
  businessRuleTests('PostgreSQL', () => createTestDatabase());
});
