// M-Pesa's confirmation of a paybill payment (C2B): the money has moved, so it is recorded whatever it names. The
// delivery is stored raw first, refused ones too. Its M-Pesa receipt (TransID) is its identity: the first delivery
// records the payment, matched to a customer and spread over their invoices (applyPaybillPayment) or kept UNMATCHED
// with the reason for an administrator; a repeat is stored as DUPLICATE and changes nothing. The delivery row, the
// payment, its allocations, the balance credit, the invoices' settlement and the receipt notice are one transaction.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PaybillPayment, WebhookEvent } from '../../entities/index.js';
import { parseC2bPayment, type C2bPayment } from '../mpesa/c2b.js';
import { sameSecret } from '../webhooks/recordMpesaCallback.js';
import { storeRejected } from '../webhooks/storeDelivery.js';
import { applyPaybillPayment, type PaidInvoice } from './applyPaybillPayment.js';
import { paybillTarget } from './paybillTarget.js';

export interface PaybillDelivery {
  pathSecret: string;
  rawBody: string;
  headers: Record<string, string>;
}

export interface PaybillSettings {
  callbackSecret: string;
  /** Our paybill: a confirmation for another is not ours to record. */
  shortCode: string;
}

export type ConfirmationVerdict =
  | { status: 'ACCEPTED'; httpStatus: 200; payment: PaybillPayment; paid: PaidInvoice[] }
  | { status: 'DUPLICATE'; httpStatus: 200 }
  | { status: 'REJECTED'; httpStatus: 400 | 404; reason: string };

/** Checks the delivery is ours and well formed; the parsed payment, or the refusal to store. */
export function checkPaybillDelivery(
  delivery: PaybillDelivery,
  settings: PaybillSettings,
): { ok: true; payment: C2bPayment } | { ok: false; httpStatus: 400 | 404; reason: string } {
  if (!sameSecret(delivery.pathSecret, settings.callbackSecret)) {
    return { ok: false, httpStatus: 404, reason: 'wrong path secret' };
  }
  const parsed = parseC2bPayment(delivery.rawBody);
  if (!parsed.ok) return { ok: false, httpStatus: 400, reason: `${parsed.field} ${parsed.rule}` };
  if (parsed.payment.shortCode !== settings.shortCode) {
    return { ok: false, httpStatus: 400, reason: `BusinessShortCode must be our paybill, ${settings.shortCode}` };
  }
  return parsed;
}

export async function recordPaybillConfirmation(
  rootEm: EntityManager,
  delivery: PaybillDelivery,
  settings: PaybillSettings,
  now: Date = new Date(),
): Promise<ConfirmationVerdict> {
  const base = { provider: 'MPESA' as const, headers: delivery.headers, rawBody: delivery.rawBody };
  const checked = checkPaybillDelivery(delivery, settings);
  if (!checked.ok) {
    await storeRejected(rootEm.fork(), base, checked.reason);
    return { status: 'REJECTED', httpStatus: checked.httpStatus, reason: checked.reason };
  }
  const c2b = checked.payment;
  try {
    return await rootEm.fork().transactional(async (em) => {
      const stored = em.create(WebhookEvent, { ...base, eventKey: `c2b:${c2b.transId}`, status: 'ACCEPTED' });
      await em.flush();
      const payment = em.create(PaybillPayment, {
        transId: c2b.transId,
        shortCode: c2b.shortCode,
        transactionType: c2b.transactionType,
        billRefNumber: c2b.billRefNumber,
        amount: c2b.amount,
        currency: 'KES',
        payerMsisdn: c2b.msisdn,
        payerName: c2b.payerName,
        paidAt: c2b.paidAt,
        status: 'UNMATCHED',
        unmatchedReason: 'not matched yet',
        webhookEventId: stored.id,
      });
      const paid = await match(em, payment, now);
      await em.flush();
      return { status: 'ACCEPTED' as const, httpStatus: 200 as const, payment, paid };
    });
  } catch (error) {
    // The receipt was recorded before (the delivery's key or the payment's TransID): this is M-Pesa sending it again.
    if (!(error instanceof UniqueConstraintViolationException)) {
      // Nothing of it was written: the body is kept, and the failure answered so that M-Pesa sends it again.
      const message = error instanceof Error ? error.message : String(error);
      await storeRejected(rootEm.fork(), base, `could not be recorded, to be sent again: ${message.slice(0, 300)}`);
      throw error;
    }
    const again = rootEm.fork();
    again.create(WebhookEvent, { ...base, eventKey: `c2b:${c2b.transId}`, status: 'DUPLICATE' });
    await again.flush();
    return { status: 'DUPLICATE', httpStatus: 200 };
  }
}

async function match(em: EntityManager, payment: PaybillPayment, now: Date): Promise<PaidInvoice[]> {
  const target = await paybillTarget(em, payment.billRefNumber);
  if (target.kind === 'none') {
    payment.unmatchedReason = target.reason;
    return [];
  }
  if (target.kind === 'invoice' && target.invoice.currency !== payment.currency) {
    payment.unmatchedReason = `invoice ${target.invoice.number} is billed in ${target.invoice.currency}, not KES`;
    return [];
  }
  const customer = target.kind === 'account' ? target.customer : target.invoice.customer;
  const named = target.kind === 'invoice' ? target.invoice : null;
  return applyPaybillPayment(em, payment, customer, named, 'account reference', now);
}
