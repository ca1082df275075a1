/**
 * `POST /api/test/clock` (for `operator`): reads or moves the clock of a server started with
 * `baton serve --test-clock`, so that tests written in any language can fire timers at once.
 * Body `{}` reads, `{"advance": "P7D"}` moves forward (firing every timer due on the way, in
 * order), `{"set": "2030-01-01T00:00:00Z"}` moves to an instant; answers `{"now": ISO instant}`.
 * Without the flag a well-formed request answers `404 TEST_CLOCK_OFF` (a malformed one 400). See docs/testing.md.
 */
import { EngineError } from '../../runtime/api-types.js';
import { ClockError, type TestClock } from '../../testing/clock.js';
import type { GuardedRouter } from '../guarded-router.js';
import { field, jsonBody } from '../validate.js';

export function testClockRoutes(router: GuardedRouter, clock: TestClock | undefined): void {
  router.post('/test/clock', { access: 'operator', body: 'json' }, async (req, res) => {
    const body = jsonBody(req);
    const advance = field(body, 'advance', 'string', { optional: true });
    const set = field(body, 'set', 'string', { optional: true });
    if (advance !== undefined && set !== undefined)
      throw new EngineError(400, 'INVALID_REQUEST', "Give either 'advance' or 'set', not both.", [
        { field: 'advance', message: 'not with set' },
      ]);
    // a well-formed request to a server on the real clock: the clock is not there
    if (!clock)
      throw new EngineError(
        404,
        'TEST_CLOCK_OFF',
        'This server runs on the real clock; start it with `baton serve --test-clock` to read and move its clock',
      );
    try {
      const now =
        advance !== undefined ? await clock.advance(advance) : set !== undefined ? await clock.set(set) : clock.read();
      res.json({ now });
    } catch (err) {
      if (!(err instanceof ClockError)) throw err;
      const name = advance !== undefined ? 'advance' : 'set';
      throw new EngineError(400, 'INVALID_REQUEST', err.message, [{ field: name, message: err.message }]);
    }
  });
}
