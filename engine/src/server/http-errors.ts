/**
 * Turning failures into the contract's error answers: `{"error": {"code", "message", "details"}}`.
 *
 * An {@link EngineError} keeps its status and code; a read that lost the database is `503
 * UNAVAILABLE`; body-parser failures become `INVALID_JSON`
 * (400) or `PAYLOAD_TOO_LARGE` (413); anything else is a fault of ours: `500 INTERNAL`, logged
 * with its stack. An error answered before the request body arrived in full closes the connection.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { EngineError } from '../runtime/api-types.js';
import { StoreUnavailableError } from '../storage/port.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details: unknown[] };
}

/** Sends an error answer in the contract's shape. */
export function sendError(res: Response, status: number, code: string, message: string, details: unknown[] = []): void {
  const body: ErrorBody = { error: { code, message, details } };
  res.status(status).json(body);
}

/** A 404 for an unknown id, e.g. `notFound('INSTANCE_NOT_FOUND', 'Process instance', id)`. */
export function notFound(code: string, what: string, id: string): EngineError {
  return new EngineError(404, code, `${what} '${id}' was not found.`, [{ id }]);
}

/** Final handler for paths nothing answered: `404 NOT_FOUND` (see also ./guarded-router.ts `refuseUnrouted`). */
export const notFoundRoute: RequestHandler = (req, _res, next) => {
  const path = req.originalUrl.split('?')[0];
  next(new EngineError(404, 'NOT_FOUND', `No route for ${req.method} ${path}.`));
};

/** A body-parser (http-errors) failure: has a 4xx `status` and a `type` such as `entity.parse.failed`. */
interface ClientHttpError {
  status: number;
  type?: string;
  message: string;
  expose?: boolean;
}

function isClientHttpError(err: unknown): err is ClientHttpError {
  if (typeof err !== 'object' || err === null) return false;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

const PARSER_CODES: Record<string, { code: string; message?: string }> = {
  'entity.parse.failed': { code: 'INVALID_JSON', message: 'Request body is not valid JSON' },
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than the limit' },
  'encoding.unsupported': { code: 'UNSUPPORTED_ENCODING' },
  'charset.unsupported': { code: 'UNSUPPORTED_CHARSET' },
  'request.aborted': { code: 'REQUEST_ABORTED' },
};

/** Express error middleware mapping every failure to the contract's error shape. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      log.error({ err, method: req.method, url: req.originalUrl }, 'error after the answer was sent');
      next(err);
      return;
    }
    // An answer sent while the body is still arriving (a refusal before reading it, a body over the
    // limit or too slow) closes the connection: the rest of the body is not waited for.
    if (!req.complete) res.set('Connection', 'close');
    if (err instanceof EngineError) {
      if (err.status >= 500) log.error({ err, method: req.method, url: req.originalUrl, code: err.code }, err.message);
      else log.debug({ method: req.method, url: req.originalUrl, status: err.status, code: err.code }, err.message);
      sendError(res, err.status, err.code, err.message, err.details);
      return;
    }
    if (err instanceof StoreUnavailableError) {
      // a read that met a lost database connection: the client may try again
      log.warn({ err, method: req.method, url: req.originalUrl }, 'the database cannot be reached');
      res.set('Retry-After', '1');
      sendError(res, 503, 'UNAVAILABLE', `The database cannot be reached (${err.message}); try again`);
      return;
    }
    if (isClientHttpError(err)) {
      const known = err.type ? PARSER_CODES[err.type] : undefined;
      const code = known?.code ?? 'BAD_REQUEST';
      const detail = err.expose === false ? 'Bad request' : err.message;
      const message = known?.message ? `${known.message}: ${detail}` : detail;
      log.debug({ method: req.method, url: req.originalUrl, code }, message);
      sendError(res, err.status, code, message);
      return;
    }
    log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendError(res, 500, 'INTERNAL', 'Internal error of the engine; see the server log.');
  };
}
