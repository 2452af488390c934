// A standing order's result callback (the customer approved or declined it on their phone) arrives unsigned on
// `/webhooks/mpesa/<secret>/ratiba/<standingOrderId>`. Like every M-Pesa delivery it is stored raw first (refused
// ones too, with the reason), checked (the path secret, the shape, the reference Daraja gave this order's request),
// and a repeat is stored as DUPLICATE. The order moves only from PENDING_APPROVAL, so a late, repeated or
// contradicting result changes nothing; a result for an order no longer awaited (its subscription ended, or the
// wait ran out) is kept and refused.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { standingOrderMachine } from '../../domain/standingOrders.js';
import { StandingOrder, WebhookEvent } from '../../entities/index.js';
import { parseStandingOrderResult, type StandingOrderResult } from '../mpesa/ratiba.js';
import { sameSecret } from '../webhooks/recordMpesaCallback.js';
import { storeOnce, storeRejected } from '../webhooks/storeDelivery.js';

export interface StandingOrderDelivery {
  pathSecret: string;
  standingOrderId: string;
  rawBody: string;
  headers: Record<string, string>;
}

export type StandingOrderVerdict =
  | { status: 'ACCEPTED' | 'DUPLICATE'; httpStatus: 200; standingOrderId: string }
  | { status: 'REJECTED'; httpStatus: 400 | 404 | 409; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(rawBody: string): StandingOrderResult | null {
  try {
    return parseStandingOrderResult(JSON.parse(rawBody));
  } catch {
    return null;
  }
}

export async function recordStandingOrderResult(
  rootEm: EntityManager,
  delivery: StandingOrderDelivery,
  expectedSecret: string,
): Promise<StandingOrderVerdict> {
  const em = rootEm.fork();
  const base = { provider: 'MPESA' as const, headers: delivery.headers, rawBody: delivery.rawBody };
  const reject = async (httpStatus: 400 | 404 | 409, reason: string): Promise<StandingOrderVerdict> => {
    await storeRejected(em, base, reason);
    return { status: 'REJECTED', httpStatus, reason };
  };

  if (!sameSecret(delivery.pathSecret, expectedSecret)) return reject(404, 'wrong path secret');
  const result = parse(delivery.rawBody);
  if (!result) return reject(400, 'not a Ratiba result (a header with responseRefID and responseCode, and a body)');
  const order = UUID.test(delivery.standingOrderId)
    ? await em.findOne(StandingOrder, { id: delivery.standingOrderId })
    : null;
  if (!order) return reject(404, 'no standing order with this id');
  if (!order.providerReference || order.providerReference !== result.refId) {
    return reject(400, 'responseRefID is not the reference of this standing order’s request');
  }
  const eventKey = `ratiba:${result.refId}:${result.responseCode}`;
  if (order.status !== 'PENDING_APPROVAL') {
    // A repeat of the result that decided it is a DUPLICATE; any other word comes too late to count.
    const seen = await em.count(WebhookEvent, { provider: 'MPESA', eventKey, status: 'ACCEPTED' });
    if (seen === 0) return reject(409, `the standing order is ${order.status}: its result is no longer awaited`);
  }
  const stored = await storeOnce(rootEm, em, { ...base, eventKey });
  // Applied whether stored first or as a repeat: a first delivery stored just before a crash is applied by the next.
  await applyResult(rootEm, order.id, result);
  return { status: stored, httpStatus: 200, standingOrderId: order.id };
}

/** ACTIVE or DECLINED from PENDING_APPROVAL; nothing when the order had moved on already. */
async function applyResult(rootEm: EntityManager, id: string, result: StandingOrderResult): Promise<void> {
  return rootEm.fork().transactional(async (em) => {
    const order = await em.findOneOrFail(StandingOrder, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (order.status !== 'PENDING_APPROVAL') return;
    const approved = result.responseCode === '0';
    const next = approved ? 'ACTIVE' : 'DECLINED';
    standingOrderMachine.assert(order.status, next);
    order.status = next;
    order.transactionId = approved ? result.transactionId : null;
    if (approved) order.approvedAt = new Date();
    else {
      order.failureCode = result.responseCode;
      order.failureMessage = result.description || `M-Pesa answered ${result.responseCode}`;
      order.endedAt = new Date();
    }
  });
}
