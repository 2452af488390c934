// Daraja's results about a refund (reversal result and queue timeout, transaction status result and queue timeout)
// arrive unsigned on `/webhooks/mpesa/<secret>/refunds/<refundId>/<route>`. Like STK callbacks they are stored raw
// first (refused ones too), checked (the path secret, the shape, the conversation the refund recorded, the amount),
// and a repeat of one result is stored as DUPLICATE. The refund workflow reads the accepted ones
// (src/refunds/mpesaRefundResults.ts); this only records and says whom to wake.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Refund } from '../../entities/index.js';
import { parseMpesaResult, type MpesaResult, type RefundResultRoute } from '../mpesa/reversal.js';
import { sameSecret } from './recordMpesaCallback.js';
import { storeOnce, storeRejected } from './storeDelivery.js';

export const REFUND_RESULT_ROUTES: readonly RefundResultRoute[] = [
  'reversal-result',
  'reversal-timeout',
  'b2c-result',
  'b2c-timeout',
  'status-result',
  'status-timeout',
];

export interface RefundResultDelivery {
  pathSecret: string;
  refundId: string;
  route: RefundResultRoute;
  rawBody: string;
  headers: Record<string, string>;
}

export type RefundResultVerdict =
  | { status: 'ACCEPTED' | 'DUPLICATE'; httpStatus: 200; refundId: string }
  | { status: 'REJECTED'; httpStatus: 400 | 404; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(rawBody: string): MpesaResult | null {
  try {
    return parseMpesaResult(JSON.parse(rawBody));
  } catch {
    return null;
  }
}

/** A result must be about the reversal this refund asked for, and a successful reversal for its amount. */
function mismatch(result: MpesaResult, refund: Refund, route: RefundResultRoute): string | null {
  if (route.startsWith('b2c') && result.originatorConversationId !== refund.id) {
    return 'conversation does not match the refund';
  }
  if (route.startsWith('reversal')) {
    const known = refund.providerReference ?? refund.providerRequestId;
    // Before the request's answer is recorded the ids are unknown: the refund id in the secret path matches it.
    if (
      known &&
      result.conversationId !== refund.providerReference &&
      result.originatorConversationId !== refund.providerRequestId
    ) {
      return 'conversation does not match the refund';
    }
  }
  const amount = result.parameters.Amount ?? result.parameters.TransactionAmount;
  if (result.resultCode === '0' && amount !== undefined && Math.round(Number(amount) * 100) !== refund.amount) {
    return 'amount does not match the refund';
  }
  return null;
}

export async function recordMpesaRefundResult(
  rootEm: EntityManager,
  delivery: RefundResultDelivery,
  expectedSecret: string,
): Promise<RefundResultVerdict> {
  const em = rootEm.fork();
  const base = { provider: 'MPESA' as const, headers: delivery.headers, rawBody: delivery.rawBody };
  const reject = async (httpStatus: 400 | 404, reason: string, refundId?: string): Promise<RefundResultVerdict> => {
    await storeRejected(em, { ...base, refundId: refundId ?? null }, reason);
    return { status: 'REJECTED', httpStatus, reason };
  };

  if (!sameSecret(delivery.pathSecret, expectedSecret)) return reject(404, 'wrong path secret');
  const result = parse(delivery.rawBody);
  if (!result) return reject(400, `not an M-Pesa ${delivery.route} (Result with ResultCode and conversation ids)`);
  const refund = UUID.test(delivery.refundId) ? await em.findOne(Refund, { id: delivery.refundId }) : null;
  if (!refund || refund.provider !== 'MPESA') return reject(404, 'no M-Pesa refund with this id');
  const problem = mismatch(result, refund, delivery.route);
  if (problem) return reject(400, problem, refund.id);

  const eventKey = `${result.conversationId}:${delivery.route}:${result.resultCode}`;
  const status = await storeOnce(rootEm, em, { ...base, eventKey, refundId: refund.id });
  return { status, httpStatus: 200, refundId: refund.id };
}
