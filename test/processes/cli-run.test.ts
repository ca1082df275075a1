/**
 * The examples through the command line: `baton run FILE --handlers processes/handlers.mjs`
 * deploys and runs one instance in-process (exit 0 completed, 3 waiting for outside input).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESSES, ROOT } from './helpers.js';

function run(file: string, vars: Record<string, unknown>) {
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/baton.mjs'),
      'run',
      join(PROCESSES, file),
      '--handlers',
      join(PROCESSES, 'handlers.mjs'),
      '--vars',
      JSON.stringify(vars),
      '--db',
      ':memory:',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, BATON_LOG_LEVEL: 'silent' },
    },
  );
  let out: any;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    out = undefined;
  }
  return { code: r.status, out, stderr: r.stderr };
}

const completed = (out: any) =>
  out.history
    .filter((h: { type: string }) => h.type === 'element-completed')
    .map((h: { elementId: string }) => h.elementId);

describe('baton run on the examples', () => {
  it('fulfils a small order (exit 0)', () => {
    const r = run('order-fulfilment.bpmn', { orderId: 'A-1', amount: 250 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.out.variables).toMatchObject({ shipmentId: 'SHIP-A-1' });
    expect(completed(r.out)).toContain('End_Fulfilled');
  });

  it('fails an order whose card is declined, with the in-process handler throwing a BPMN error (exit 0)', () => {
    const r = run('order-fulfilment.bpmn', { orderId: 'A-2', amount: 250, declineCard: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.out.variables).toMatchObject({ failureReason: 'PAYMENT_DECLINED', stockReleased: true });
    expect(completed(r.out)).toContain('End_Failed');
  });

  it('waits at the large-order confirmation (exit 3)', () => {
    const r = run('order-fulfilment.bpmn', { orderId: 'A-3', amount: 2500 });
    expect(r.code, r.stderr).toBe(3);
    expect(r.out.activeElements).toEqual(['Task_ConfirmLargeOrder']);
  });

  it('declines a high-risk loan automatically (exit 0) and waits for a review otherwise (exit 3)', () => {
    const high = run('loan-underwriting.bpmn', { amount: 500_000, income: 10_000 });
    expect(high.code, high.stderr).toBe(0);
    expect(completed(high.out)).toContain('End_AutoDeclined');
    const normal = run('loan-underwriting.bpmn', { amount: 10_000, income: 50_000 });
    expect(normal.code, normal.stderr).toBe(3);
    expect(normal.out.activeElements).toEqual(['Task_Review']);
  });

  it('waits for consent and triage in the patient intake (exit 3)', () => {
    const r = run('patient-intake.bpmn', { patientId: 'P-1' });
    expect(r.code, r.stderr).toBe(3);
    expect([...r.out.activeElements].sort()).toEqual(['Event_Consent', 'Task_Triage']);
    expect(r.out.variables).toMatchObject({ registered: true, insured: false });
  });
});
