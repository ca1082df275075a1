/**
 * What node-postgres errors mean to the port: a lost or refused connection is a
 * StoreUnavailableError (the command answers 503 and may be retried), a serialization failure,
 * deadlock, lost unique race or busy lock a ConflictError (the command runs again), a value the
 * database refuses a 400. Every query of the adapter goes through {@link mapError}.
 */
import { EngineError } from '../../runtime/api-types.js';
import { ConflictError, StoreUnavailableError } from '../port.js';

/** PostgreSQL error codes of a lost or refused connection. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  const e = err as { code?: string; message?: string };
  if (
    typeof e?.code === 'string' &&
    /^(08|57P0[123]|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND)/.test(e.code)
  )
    return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
    e?.message ?? '',
  );
}

export function unavailableOr(err: unknown): unknown {
  return isConnectionError(err) ? new StoreUnavailableError((err as Error).message, { cause: err }) : err;
}

/** Connection loss → unavailable; serialization failures, deadlocks and lost unique races → conflicts. */
export function mapError(err: unknown): unknown {
  if (err instanceof ConflictError || err instanceof StoreUnavailableError) return err;
  if (isConnectionError(err)) return new StoreUnavailableError((err as Error).message, { cause: err });
  const code = (err as { code?: string })?.code;
  if (code === '40001' || code === '40P01' || code === '23505' || code === '55P03')
    return new ConflictError(`PostgreSQL ${code}: ${(err as Error).message}`);
  if (code === '22021' || code === '22P05' || code === '54000')
    return new EngineError(400, 'INVALID_REQUEST', `The database refused a value: ${(err as Error).message}`);
  return err;
}
