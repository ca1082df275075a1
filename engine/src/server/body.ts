/**
 * Reading request bodies, only for the routes that declare one and only after their access check
 * (see ./guarded-router.ts): a body is parsed as JSON or kept as text whatever its content type,
 * may not be larger than the body limit (`413 PAYLOAD_TOO_LARGE`) and must arrive in full within
 * the request timeout (`408 REQUEST_TIMEOUT`), so a slowly sent body cannot hold a connection.
 */
import express, { type RequestHandler } from 'express';
import { EngineError } from '../runtime/api-types.js';

/**
 * How a route reads its body: parsed as JSON (clients such as curl -d send a form type), as text
 * (BPMN XML), or as bytes for the route to parse (a deployment: XML, JSON or multipart).
 */
export type BodyKind = 'json' | 'text' | 'raw';

/** Limits every body reader applies. */
export interface BodyLimits {
  /** Largest accepted body, as an express size string such as `1mb`. */
  bodyLimit: string;
  /** Longest time, from the start of reading, for the whole body to arrive. */
  requestTimeoutMs: number;
}

/** Default of {@link BodyLimits.requestTimeoutMs}: 30 s, enough for 1 MB over a slow mobile link. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A middleware that reads the body as `kind` into `req.body`, within `limits`. */
export function bodyReader(kind: BodyKind, limits: BodyLimits): RequestHandler {
  const parse =
    kind === 'json'
      ? express.json({ type: () => true, limit: limits.bodyLimit })
      : kind === 'raw'
        ? express.raw({ type: () => true, limit: limits.bodyLimit })
        : express.text({ type: () => true, limit: limits.bodyLimit });
  return (req, res, next) => {
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      next(err);
    };
    const timer = setTimeout(() => {
      settle(
        new EngineError(
          408,
          'REQUEST_TIMEOUT',
          `Expected the request body within ${limits.requestTimeoutMs} ms, but it had not arrived in full.`,
          [{ requestTimeoutMs: limits.requestTimeoutMs }],
        ),
      );
    }, limits.requestTimeoutMs);
    parse(req, res, settle);
  };
}

/** The connection limits of the node:http server that {@link serverTimeouts} sets. */
export interface ServerTimeouts {
  requestTimeout: number;
  headersTimeout: number;
  connectionsCheckingInterval: number;
}

/**
 * Limits of the HTTP server itself, behind {@link bodyReader}: a request whose head and body have
 * not arrived in full a second after `requestTimeoutMs` is cut by node (a raw `408` and the
 * connection closed) — also one whose body nobody reads, such as a refused one. Node's own defaults
 * (300 s, checked every 30 s) let a slow body hold a connection for about five minutes.
 */
export function serverTimeouts(requestTimeoutMs: number): ServerTimeouts {
  const requestTimeout = requestTimeoutMs + 1_000;
  return {
    requestTimeout,
    headersTimeout: Math.min(60_000, requestTimeout),
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(requestTimeoutMs / 4))),
  };
}
