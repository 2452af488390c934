// What Daraja has told us about an M-Pesa refund, read from the deliveries stored for it (the raw bodies are the
// record): a reversal result settles it; a status result settles it when it speaks of the reversal; a queue timeout
// settles nothing (the reversal may still have happened), it only makes the workflow ask the status.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Refund, WebhookEvent } from '../entities/index.js';
import { parseMpesaResult, type RefundResultRoute } from '../payments/mpesa/reversal.js';
import type { RefundOutcome } from './refundOutcome.js';

/** Daraja's TransactionStatus value for a transaction that went through. */
const COMPLETED = 'completed';
/**
 * "The transaction has already been reversed": a whole payment is reversed once, and a reversal is only asked for the
 * whole of a payment nothing else was refunded from (requestRefund), so this answers a reversal asked again after its
 * answer was lost: it went through.
 */
const ALREADY_REVERSED = 'R000001';

export async function mpesaRefundResult(rootEm: EntityManager, refund: Refund): Promise<RefundOutcome | null> {
  const deliveries = await rootEm
    .fork()
    .find(WebhookEvent, { refundId: refund.id, status: 'ACCEPTED' }, { orderBy: { receivedAt: 'asc' } });
  for (const route of ['reversal-result', 'b2c-result', 'status-result'] as const) {
    for (const delivery of deliveries.filter((d) => routeOf(d) === route)) {
      const outcome = outcomeOf(route, delivery.rawBody, refund);
      if (outcome) return outcome;
    }
  }
  return null;
}

/** The route is the event key's second part: `<ConversationID>:<route>:<ResultCode>`. */
function routeOf(delivery: WebhookEvent): RefundResultRoute | null {
  const route = delivery.eventKey?.split(':')[1];
  return (route as RefundResultRoute | undefined) ?? null;
}

function outcomeOf(
  route: 'reversal-result' | 'b2c-result' | 'status-result',
  rawBody: string,
  refund: Refund,
): RefundOutcome | null {
  const result = parseMpesaResult(JSON.parse(rawBody));
  if (!result) return null;
  if (route === 'b2c-result') {
    if (result.resultCode === '0') {
      return { kind: 'succeeded', providerReference: result.transactionId ?? result.conversationId };
    }
    return { kind: 'failed', code: result.resultCode, message: result.resultDesc || 'M-Pesa refused the payment' };
  }
  if (route === 'reversal-result') {
    if (result.resultCode === '0' || result.resultCode === ALREADY_REVERSED) {
      return { kind: 'succeeded', providerReference: result.transactionId ?? result.conversationId };
    }
    return { kind: 'failed', code: result.resultCode, message: result.resultDesc || 'M-Pesa refused the reversal' };
  }
  // A status answer counts only when it is about this refund's reversal, never about the payment it reverses.
  const ours = [
    refund.providerReference,
    refund.providerRequestId,
    refund.mpesaMethod === 'B2C' ? refund.id : null,
  ].filter((id): id is string => Boolean(id));
  if (ours.length === 0) return null;
  if (result.resultCode !== '0') {
    // Daraja does not know the reversal we asked about: it never ran (expired in the queue, or refused).
    return { kind: 'failed', code: result.resultCode, message: result.resultDesc || 'M-Pesa has no such reversal' };
  }
  const about = [result.parameters['Conversation ID'], result.parameters['Originator Conversation ID']];
  if (!about.some((id) => typeof id === 'string' && ours.includes(id))) return null;
  const status = String(result.parameters.TransactionStatus ?? '').toLowerCase();
  if (status !== COMPLETED) return null;
  const receipt = result.parameters.ReceiptNo;
  return {
    kind: 'succeeded',
    providerReference: typeof receipt === 'string' && receipt ? receipt : result.conversationId,
  };
}
