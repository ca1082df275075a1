// In-process job handlers for every example process in this folder:
//   npx baton serve --handlers processes/handlers.mjs
//   npx baton run processes/order-fulfilment.bpmn --handlers processes/handlers.mjs --vars '{"orderId":"A-1","amount":250}'
// Handlers are deterministic: the outcome depends only on the job's variables.
// A handler that must end in a BPMN error (caught by an error boundary) throws a BpmnError: an Error
// with an `errorCode` (and optional `variables`), the Camunda 8 "throw error" of a job worker.

/** An error that the engine throws as a BPMN error at the job's element, not as a failed job. */
export class BpmnError extends Error {
  /**
   * @param {string} errorCode the BPMN error code an error boundary or event sub-process catches
   * @param {string} [message]
   * @param {Record<string, unknown>} [variables] set in the scope of the catching element
   */
  constructor(errorCode, message = errorCode, variables = undefined) {
    super(message);
    this.name = 'BpmnError';
    this.errorCode = errorCode;
    if (variables) this.variables = variables;
  }
}

const num = (v, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export default {
  // ---- order-approval (README walk) ------------------------------------------------------
  'check-stock': ({ variables }) => ({ inStock: num(variables.quantity, 1) <= 100 }),

  // ---- order-fulfilment ------------------------------------------------------------------------
  'reserve-stock': ({ variables }) => ({ reservationId: `RES-${variables.orderId ?? 'unknown'}` }),
  'authorize-payment': ({ variables }) => {
    if (num(variables.amount) > 5000 || variables.declineCard === true) {
      throw new BpmnError('PAYMENT_DECLINED', `Card declined for order ${variables.orderId}`);
    }
    return { paymentId: `PAY-${variables.orderId ?? 'unknown'}` };
  },
  'schedule-shipping': ({ variables }) => {
    if (variables.noCarrier === true) throw new BpmnError('NO_CARRIER', `No carrier ships order ${variables.orderId}`);
    return { shipmentId: `SHIP-${variables.orderId ?? 'unknown'}` };
  },
  'release-stock': () => ({ stockReleased: true }),
  'void-payment': () => ({ paymentVoided: true }),
  'cancel-shipment': () => ({ shipmentCancelled: true }),

  // ---- loan-underwriting -----------------------------------------------------------------------
  // Risk grows with the loan-to-income ratio: 5 yearly incomes or more scores 100.
  'score-risk': ({ variables }) => {
    const income = num(variables.income, 0);
    const amount = num(variables.amount, 0);
    const riskScore = income > 0 ? Math.min(100, Math.round((amount / (income * 5)) * 100)) : 100;
    return { riskScore };
  },
  'send-reminder': ({ variables }) => ({ reminderSentTo: variables.underwriter ?? 'underwriters' }),
  'issue-offer': ({ variables }) => ({ offerId: `OFFER-${variables.applicationId ?? 'unknown'}` }),

  // ---- patient-intake --------------------------------------------------------------------------
  'register-patient': ({ variables }) => ({ registered: true, mrn: `MRN-${variables.patientId ?? 'unknown'}` }),
  'check-insurance': ({ variables }) => ({
    insured: typeof variables.insurer === 'string' && variables.insurer !== '',
  }),
  'admit-patient': ({ variables }) => ({
    admitted: true,
    ward: num(variables.triageLevel, 3) <= 2 ? 'acute' : 'general',
  }),

  // ---- claims-processing / claims-assessment ---------------------------------------------------
  // Items above 10 000 are referred (approved amount 0) and escalate as high-value items in the model.
  'assess-item': ({ variables }) => {
    const item = variables.item ?? {};
    const amount = num(item.amount);
    const referred = amount > 10_000;
    return {
      assessment: {
        itemId: item.id ?? null,
        approvedAmount: referred ? 0 : amount,
        decision: referred ? 'refer' : 'approve',
      },
    };
  },
  'pay-claim': ({ variables }) => ({ paidAmount: num(variables.approvedTotal) }),
  'notify-fraud-team': ({ variables }) => ({ fraudTeamNotified: true, notifiedFor: variables.claimId ?? null }),
};
