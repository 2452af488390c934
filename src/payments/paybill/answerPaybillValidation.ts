// M-Pesa asks before moving the money when the paybill has external validation on (Safaricom turns it on per
// shortcode): the account the customer typed must name an invoice that owes money in KES or a customer's account
// number, else the payment is refused with Daraja's result code and the customer keeps their money. Every request is
// stored raw, with what was answered; a validation moves no money, so nothing else is written.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookEvent } from '../../entities/index.js';
import { C2B_REFUSALS, type C2bRefusal } from '../mpesa/c2b.js';
import { checkPaybillDelivery, type PaybillDelivery, type PaybillSettings } from './recordPaybillConfirmation.js';
import { owesMoney, paybillTarget } from './paybillTarget.js';

export type ValidationAnswer =
  { ResultCode: '0'; ResultDesc: 'Accepted' } | { ResultCode: C2bRefusal; ResultDesc: 'Rejected' };

export async function answerPaybillValidation(
  rootEm: EntityManager,
  delivery: PaybillDelivery,
  settings: PaybillSettings,
): Promise<{ answer: ValidationAnswer; reason: string | null; httpStatus: 200 | 404 }> {
  const em = rootEm.fork();
  const checked = checkPaybillDelivery(delivery, settings);
  const refusal = checked.ok
    ? await refusalFor(em, checked.payment.billRefNumber)
    : { code: refusalCodeFor(checked.reason), reason: checked.reason };
  em.create(WebhookEvent, {
    provider: 'MPESA',
    headers: delivery.headers,
    rawBody: delivery.rawBody,
    // Validation requests are kept apart from confirmations: their keys never claim a payment's.
    eventKey: null,
    status: refusal ? 'REJECTED' : 'ACCEPTED',
    reason: refusal ? `validation refused (${refusal.code}): ${refusal.reason}` : 'validation accepted',
  });
  await em.flush();
  const httpStatus = !checked.ok && checked.httpStatus === 404 ? 404 : 200;
  if (!refusal) return { answer: { ResultCode: '0', ResultDesc: 'Accepted' }, reason: null, httpStatus };
  return { answer: { ResultCode: refusal.code, ResultDesc: 'Rejected' }, reason: refusal.reason, httpStatus };
}

function refusalCodeFor(reason: string): C2bRefusal {
  if (reason.startsWith('TransAmount')) return C2B_REFUSALS.INVALID_AMOUNT;
  if (reason.startsWith('BusinessShortCode')) return C2B_REFUSALS.INVALID_SHORTCODE;
  return C2B_REFUSALS.OTHER;
}

async function refusalFor(
  em: EntityManager,
  billRefNumber: string,
): Promise<{ code: C2bRefusal; reason: string } | null> {
  const target = await paybillTarget(em, billRefNumber);
  if (target.kind === 'none') return { code: C2B_REFUSALS.INVALID_ACCOUNT, reason: target.reason };
  if (target.kind === 'account') return null;
  const { invoice } = target;
  if (invoice.currency !== 'KES') {
    return { code: C2B_REFUSALS.INVALID_ACCOUNT, reason: `invoice ${invoice.number} is billed in ${invoice.currency}` };
  }
  if (!owesMoney(invoice)) {
    return { code: C2B_REFUSALS.INVALID_ACCOUNT, reason: `invoice ${invoice.number} owes nothing (${invoice.status})` };
  }
  return null;
}
