// The M-Pesa receipt number (MpesaReceiptNumber, e.g. NLJ7RT61SV) arrives only in Daraja's success callback: STK Query
// answers carry none, and Daraja's Transaction Status query looks a transaction up BY its receipt (TransactionID), so it
// cannot find a receipt we lack. A payment confirmed by STK Query therefore takes its receipt from its accepted
// callback, whenever that callback comes: before the confirmation (read when the outcome is recorded) or after it
// (written onto the succeeded payment by the callback route). A callback that never comes leaves no receipt.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookEvent } from '../../entities/index.js';
import { parseStkCallback } from '../mpesa/callback.js';

/** The receipt in the payment's accepted success callback, if one came. */
export async function receiptFromCallbacks(rootEm: EntityManager, paymentId: string): Promise<string | null> {
  const events = await rootEm
    .fork()
    .find(WebhookEvent, { paymentId, provider: 'MPESA', status: 'ACCEPTED' }, { orderBy: { receivedAt: 'asc' } });
  for (const event of events) {
    try {
      const callback = parseStkCallback(JSON.parse(event.rawBody));
      if (callback?.resultCode === 0 && callback.receipt) return callback.receipt;
    } catch {
      // an unreadable body was already judged when it was stored
    }
  }
  return null;
}

/**
 * Writes a receipt onto a payment that STK Query has already confirmed without one (the payments table's trigger tells
 * live subscribers). One conditional UPDATE of one row: it never changes a payment that is not SUCCEEDED or already
 * has a receipt, and takes no other lock.
 */
export async function recordLateReceipt(rootEm: EntityManager, paymentId: string, receipt: string): Promise<void> {
  await rootEm.fork().execute(
    `update payments set receipt_number = ?, updated_at = now()
     where id = ? and provider = 'MPESA' and status = 'SUCCEEDED' and receipt_number is null`,
    [receipt, paymentId],
  );
}

/** After recording a success without a receipt: a callback accepted meanwhile may carry it. */
export async function recordReceiptFromCallbacks(rootEm: EntityManager, paymentId: string): Promise<void> {
  const receipt = await receiptFromCallbacks(rootEm, paymentId);
  if (receipt) await recordLateReceipt(rootEm, paymentId, receipt);
}
