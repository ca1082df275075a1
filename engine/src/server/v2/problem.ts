/**
 * Errors of the `/v2` API as Camunda answers them: `application/problem+json` (RFC 9457) with
 * `type`, `title`, `status`, `detail` and `instance` (the path asked for). The title is Camunda's
 * name of the failure (`INVALID_ARGUMENT`, `NOT_FOUND`, `INVALID_STATE`, `UNAUTHORIZED`,
 * `FORBIDDEN`, `RESOURCE_EXHAUSTED` for backpressure …); Baton's own error code and details are
 * kept in `code` and `details` beside them (RFC 9457 allows extension members).
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { EngineError } from '../../runtime/api-types.js';
import { StoreUnavailableError } from '../../storage/port.js';

/** The body of every `/v2` error answer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  details?: unknown[];
}

const TITLES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'INVALID_STATE',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Baton codes that mean "too much load now, try again": Camunda's backpressure. */
const BACKPRESSURE = new Set(['RESOURCE_EXHAUSTED', 'BACKPRESSURE']);

/** Sends a problem answer. */
export function sendProblem(
  res: Response,
  status: number,
  title: string,
  detail: string,
  code?: string,
  details: unknown[] = [],
): void {
  const body: Problem = {
    type: 'about:blank',
    title,
    status,
    detail,
    instance: res.req.originalUrl.split('?')[0] ?? '',
    ...(code ? { code } : {}),
    ...(details.length ? { details } : {}),
  };
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}

/** The title of an error with `status` and Baton `code`. */
export function titleOf(status: number, code: string): string {
  if (status === 503 && BACKPRESSURE.has(code)) return 'RESOURCE_EXHAUSTED';
  if (status === 409 && code.endsWith('NOT_FOUND')) return 'NOT_FOUND';
  return TITLES[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

/** The error middleware of `/v2`: every failure becomes a problem answer (the rest as ../http-errors.ts logs it). */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (!req.complete) res.set('Connection', 'close');
    if (err instanceof EngineError) {
      if (err.status >= 500) log.error({ err, method: req.method, url: req.originalUrl, code: err.code }, err.message);
      sendProblem(res, err.status, titleOf(err.status, err.code), err.message, err.code, err.details);
      return;
    }
    if (err instanceof StoreUnavailableError) {
      res.set('Retry-After', '1');
      sendProblem(res, 503, 'UNAVAILABLE', `The database cannot be reached (${err.message}); try again`, 'UNAVAILABLE');
      return;
    }
    const status = (err as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      const detail = type === 'entity.parse.failed' ? 'Request body is not valid JSON' : (err as Error).message;
      sendProblem(
        res,
        status,
        titleOf(status, ''),
        detail,
        type === 'entity.parse.failed' ? 'INVALID_JSON' : undefined,
      );
      return;
    }
    log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendProblem(res, 500, 'INTERNAL', 'Internal error of the engine; see the server log.', 'INTERNAL');
  };
}
