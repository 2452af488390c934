// The M-Pesa receipt number (MpesaReceiptNumber, e.g. NLJ7RT61SV) arrives only in Daraja's success callback: STK Query
// answers carry none, and Daraja's Transaction Status query looks a transaction up BY its receipt (TransactionID), so it
// cannot find a receipt we lack. The callback route writes it onto its payment when it accepts the callback, whether
// STK Query has confirmed the payment yet or not, so nothing later needs to read the callback again. A callback that
// never comes leaves no receipt. The receipt is information, never proof: value is granted only on STK Query's word.
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Writes the receipt of an accepted success callback onto its payment (the payments table's trigger tells live
 * subscribers). One conditional UPDATE of one row: never over a receipt already written, never onto a payment STK
 * Query has declined; it takes no other lock.
 */
export async function recordReceipt(rootEm: EntityManager, paymentId: string, receipt: string): Promise<void> {
  await rootEm.fork().execute(
    `update payments set receipt_number = ?, updated_at = now()
     where id = ? and provider = 'MPESA' and status <> 'FAILED' and receipt_number is null`,
    [receipt, paymentId],
  );
}
