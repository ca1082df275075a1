/** Business rule tasks calling deployed decisions, on SQLite (the cases: ./business-rule-cases.ts). */
import { businessRuleTests } from './business-rule-cases.js';

businessRuleTests('SQLite');
