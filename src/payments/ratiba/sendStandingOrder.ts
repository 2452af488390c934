// The worker's side of a standing order's request (src/workflows/standingOrder.ts): put the order on the customer's
// phone through Daraja once, record Daraja's reference (which the result callback carries back), and give up on an
// order the customer never answered. Each is safe to run twice: a recorded reference means "asked already".
//
// Daraja has no idempotency key for Ratiba and no status query: a worker killed after Daraja accepted but before the
// reference is recorded asks again, and the customer sees a second request. The first one's result then names a
// reference we do not hold and is refused (kept raw, REJECTED); the second one's is the order's.
import { LockMode } from '@mikro-orm/core';
import { normalizePhone } from '../../domain/phone.js';
import { standingOrderMachine, type StandingOrderStatus } from '../../domain/standingOrders.js';
import { StandingOrder } from '../../entities/index.js';
import type { PaymentContext } from '../paymentContext.js';
import { openMethod, sealingContext } from '../paymentMethods.js';
import { ProviderUnavailableError } from '../recordChargeOutcome.js';

export interface StandingOrderProgress {
  status: StandingOrderStatus;
}

export async function sendStandingOrder(ctx: PaymentContext, standingOrderId: string): Promise<StandingOrderProgress> {
  const em = ctx.em.fork();
  const order = await em.findOneOrFail(
    StandingOrder,
    { id: standingOrderId },
    { populate: ['subscription', 'subscription.paymentMethodSealed'] },
  );
  if (order.status !== 'PENDING_APPROVAL' || order.providerReference) return { status: order.status };
  const { subscription } = order;
  const mpesa = ctx.providers.MPESA;
  const phone = phoneOf(ctx, subscription.paymentMethodSealed, subscription.id);
  if (!mpesa || !phone) {
    return decline(
      ctx,
      order.id,
      'NOT_CONFIGURED',
      mpesa ? 'the subscription has no M-Pesa phone' : 'M-Pesa is not configured',
    );
  }
  const outcome = await mpesa.createStandingOrder({
    name: `Subscription ${order.accountReference}`,
    phone,
    shillings: order.amount / 100,
    frequency: order.frequency,
    startDate: new Date(`${order.startDate}T00:00:00Z`),
    endDate: new Date(`${order.endDate}T00:00:00Z`),
    accountReference: order.accountReference,
    description: `Subscription ${subscription.id.slice(0, 8)}`,
    callbackPath: `/ratiba/${order.id}`,
  });
  if (outcome.kind === 'unavailable') {
    throw new ProviderUnavailableError(`M-Pesa unavailable (${outcome.code}): ${outcome.message}`);
  }
  if (outcome.kind === 'declined') return decline(ctx, order.id, outcome.code, outcome.message);
  await ctx.em
    .fork()
    .nativeUpdate(StandingOrder, { id: order.id, providerReference: null }, { providerReference: outcome.refId });
  return { status: 'PENDING_APPROVAL' };
}

/** The customer did not answer in time: the order is DECLINED (a later answer is refused as not awaited). */
export async function expireStandingOrder(
  ctx: PaymentContext,
  standingOrderId: string,
): Promise<StandingOrderProgress> {
  return decline(
    ctx,
    standingOrderId,
    'NO_ANSWER',
    'the customer did not answer the standing order on their phone in time',
  );
}

async function decline(ctx: PaymentContext, id: string, code: string, message: string): Promise<StandingOrderProgress> {
  return ctx.em.fork().transactional(async (em) => {
    const order = await em.findOneOrFail(StandingOrder, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (order.status !== 'PENDING_APPROVAL') return { status: order.status };
    standingOrderMachine.assert(order.status, 'DECLINED');
    order.status = 'DECLINED';
    order.failureCode = code;
    order.failureMessage = message;
    order.endedAt = new Date();
    return { status: order.status };
  });
}

/** 2547XXXXXXXX from the subscription's sealed M-Pesa method, or null. */
function phoneOf(ctx: PaymentContext, sealed: string | null, subscriptionId: string): string | null {
  if (!sealed) return null;
  const method = openMethod(ctx.cipher, sealed, sealingContext.subscription(subscriptionId));
  if (method.kind !== 'mpesa') return null;
  return normalizePhone(method.phone)?.slice(1) ?? null;
}
