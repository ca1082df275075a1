/**
 * Thrown by an in-process job handler to end its job with a BPMN error instead of a failure: the
 * error is caught by the nearest error boundary event or error event sub-process with that code.
 * Any thrown value with a string `errorCode` counts (plain JS handler modules can throw
 * `Object.assign(new Error('declined'), { errorCode: 'PAYMENT_DECLINED' })`).
 *
 * @example
 *   engine.handle('charge-card', async (job) => {
 *     if (job.variables.amount > 5000) throw new BpmnError('PAYMENT_DECLINED', 'limit exceeded', { reason: 'limit' });
 *     return { charged: true };
 *   });
 */
export class BpmnError extends Error {
  constructor(
    readonly errorCode: string,
    message = errorCode,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

/** The BPMN error a handler threw, if what it threw carries an error code. */
export function asBpmnError(
  thrown: unknown,
): { errorCode: string; errorMessage: string; variables?: Record<string, unknown> } | undefined {
  if (thrown === null || typeof thrown !== 'object') return undefined;
  const t = thrown as { errorCode?: unknown; message?: unknown; variables?: unknown };
  if (typeof t.errorCode !== 'string' || !t.errorCode) return undefined;
  const variables =
    t.variables && typeof t.variables === 'object' && !Array.isArray(t.variables)
      ? (t.variables as Record<string, unknown>)
      : undefined;
  return {
    errorCode: t.errorCode,
    errorMessage: typeof t.message === 'string' ? t.message : t.errorCode,
    ...(variables ? { variables } : {}),
  };
}
