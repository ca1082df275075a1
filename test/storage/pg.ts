/**
 * PostgreSQL suites: `describePg` runs a suite when PostgreSQL can be reached. When it cannot
 * (test/storage/pg-global-setup.ts checks once per run): under CI (`CI=true`, as .ci/run sets it)
 * every PostgreSQL suite fails with a test saying so; on a developer machine the suites are skipped
 * and the run prints one line saying they did not run (test/run-all.mjs repeats it beside the
 * closing line) — never a silent pass. Databases: test/support/pg-database.ts.
 */
import { describe, inject, it } from 'vitest';
import { PG_ADMIN_URL, redact, UNDER_CI } from '../support/pg-database.js';

export * from '../support/pg-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why PostgreSQL cannot be reached, or null when it can (set by pg-global-setup.ts). */
    pgUnavailable: string | null;
  }
}

/**
 * `describe` for suites that need PostgreSQL: runs them when it can be reached; under CI fails with
 * one test that names the reason; elsewhere skips them (the run prints one line saying so).
 */
export function describePg(name: string, fn: () => void): void {
  const reason = inject('pgUnavailable');
  if (!reason) {
    describe(name, fn);
    return;
  }
  if (UNDER_CI) {
    describe(name, () => {
      it('reaches PostgreSQL (CI runs every PostgreSQL test)', () => {
        throw new Error(
          `Expected PostgreSQL at ${redact(PG_ADMIN_URL)} (CI=true runs every PostgreSQL test), but it cannot be reached: ${reason}`,
        );
      });
    });
    return;
  }
  describe.skip(`${name} (PostgreSQL unreachable: ${reason})`, fn);
}
