// Renewals collected by an M-Pesa Ratiba standing order (docs/ratiba.md). A renewal whose invoice an ACTIVE order
// covers sends no STK prompt: the subscription's workflow waits for the order's collection, which arrives as a
// paybill payment naming the customer's account number and pays the invoice. When the wait runs out with the invoice
// unpaid (the order was cancelled from the phone, or the wallet was short) the order LAPSES and the invoice is
// prompted by STK, as every later one will be until the customer approves a new order.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LIVE_STANDING_ORDER_STATUSES, standingOrderMachine } from '../../domain/standingOrders.js';
import { Invoice, StandingOrder } from '../../entities/index.js';
import { queueNotice } from '../../notices/queueNotice.js';

/**
 * Whether the subscription's ACTIVE order collects at least the invoice's `amountDue`, so its renewal waits for the
 * collection. An order for less (the price went up: a plan change, a coupon ending) cannot pay it: the invoice is
 * prompted as usual and the customer is asked, once per invoice, to replace the order, since Daraja offers no way
 * for us to change or cancel it.
 */
export async function standingOrderCovers(
  em: EntityManager,
  subscriptionId: string,
  invoice: Pick<Invoice, 'id' | 'number' | 'amountDue' | 'currency'>,
  customerId: string,
): Promise<boolean> {
  const active = await em.findOne(StandingOrder, { subscription: subscriptionId, status: 'ACTIVE' });
  if (!active) return false;
  if (active.amount >= invoice.amountDue) return true;
  await queueNotice(em, {
    kind: 'standing_order_outdated',
    dedupeKey: `standing_order_outdated:${active.id}:${invoice.id}`,
    subscriptionId,
    customerId,
    payload: {
      standingOrderId: active.id,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amount: invoice.amountDue,
      currency: invoice.currency,
      orderAmount: active.amount,
    },
  });
  return false;
}

/**
 * The wait for the order's collection ran out: unless the invoice got paid meanwhile, the order LAPSES with the
 * reason. Returns the order's status, or null when the subscription has no active order (nothing to do).
 */
export async function lapseStandingOrder(
  rootEm: EntityManager,
  input: { subscriptionId: string; invoiceId: string },
  now: Date = new Date(),
): Promise<{ status: string | null }> {
  return rootEm.fork().transactional(async (em) => {
    const order = await em.findOne(
      StandingOrder,
      { subscription: input.subscriptionId, status: { $in: [...LIVE_STANDING_ORDER_STATUSES] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!order || order.status !== 'ACTIVE') return { status: order?.status ?? null };
    const invoice = await em.findOneOrFail(Invoice, { id: input.invoiceId });
    if (invoice.status === 'PAID') return { status: order.status };
    standingOrderMachine.assert(order.status, 'LAPSED');
    order.status = 'LAPSED';
    order.endedAt = now;
    order.failureMessage = `invoice ${invoice.number} went unpaid by the standing order: cancelled on the phone, or the wallet was short`;
    return { status: order.status };
  });
}

/** The subscription ended: its live orders end with it (an order already approved at Safaricom may still collect). */
export async function cancelStandingOrders(em: EntityManager, subscriptionId: string, now: Date): Promise<void> {
  await em.nativeUpdate(
    StandingOrder,
    { subscription: subscriptionId, status: { $in: [...LIVE_STANDING_ORDER_STATUSES] } },
    { status: 'CANCELLED', endedAt: now, failureMessage: 'the subscription ended' },
  );
}
