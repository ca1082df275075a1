/**
 * Backpressure as Camunda signals it: when more `/v2` requests are being answered at once than the
 * server takes (`BATON_V2_MAX_IN_FLIGHT`, default {@link DEFAULT_MAX_IN_FLIGHT}), a new one is
 * refused at once with `503` and the title `RESOURCE_EXHAUSTED` (and `Retry-After`), which Camunda's
 * clients answer by backing off and trying again. Job activations waiting for jobs (long polls) do
 * not count: they hold no engine work.
 */
import type { RequestHandler } from 'express';
import { sendProblem } from './problem.js';

export const DEFAULT_MAX_IN_FLIGHT = 1000;

/** The limit from `BATON_V2_MAX_IN_FLIGHT`; refuses a value that is not a positive whole number. */
export function maxInFlight(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BATON_V2_MAX_IN_FLIGHT;
  if (raw === undefined || raw === '') return DEFAULT_MAX_IN_FLIGHT;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`Expected BATON_V2_MAX_IN_FLIGHT to be a positive whole number, but got ${raw}`);
  return n;
}

/** Counts the `/v2` requests in flight and refuses those over `limit`. */
export function backpressure(limit: number): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    if (req.method === 'POST' && /^\/jobs\/activation\/?$/i.test(req.path)) {
      next();
      return;
    }
    if (inFlight >= limit) {
      res.set('Retry-After', '1');
      if (!req.complete) res.set('Connection', 'close');
      sendProblem(
        res,
        503,
        'RESOURCE_EXHAUSTED',
        `The server is answering ${inFlight} requests, its limit; try again shortly.`,
        'RESOURCE_EXHAUSTED',
      );
      return;
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        inFlight--;
      }
    };
    res.on('finish', release);
    res.on('close', release);
    next();
  };
}
