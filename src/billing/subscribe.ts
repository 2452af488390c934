// Subscribe: one transaction writes the subscription, then its workflow `subscription-<id>` is started.
// A repeated request with the same Idempotency-Key returns the same subscription and (re)ensures the workflow,
// which also heals a first attempt that committed but could not reach Temporal.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import { actorOf, type Caller } from '../kernel/caller.js';
import { addDays } from '../domain/billingPeriod.js';
import { couponRefusal } from '../domain/coupons.js';
import { initialStatus } from '../domain/subscriptionStatus.js';
import { Coupon, Customer, Payment, Plan, Subscription } from '../entities/index.js';
import type { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';
import {
  labelOf,
  paymentMethodFrom,
  paymentMethodSchema,
  providerOf,
  sealingContext,
  sealMethod,
} from '../payments/paymentMethods.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import { queueNotice } from '../notices/queueNotice.js';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';

export const subscribeSchema = z.object({
  customerId: z.string().uuid('must be a customer id (UUID)'),
  planId: z.string().uuid('must be a plan id (UUID)'),
  quantity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100_000, 'must be at most 100000')
    .default(1)
    .describe('Units (seats); default 1.'),
  // Stripe's trial_end.
  trialEnd: z
    .date()
    .nullish()
    .describe("Overrides the plan's trial: when the trial ends. Null or a past instant: no trial."),
  paymentMethod: paymentMethodSchema
    .nullish()
    .describe(
      'Charge automatically with this method. Without one, invoices stay open until one is added (updatePaymentMethod).',
    ),
  idempotencyKey: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(255, 'must be at most 255 characters')
    .nullish()
    .describe('Makes retries safe: the same key returns the same subscription. The Idempotency-Key header works too.'),
  /** Codes are stored in capitals; customers type them any way. */
  couponCode: z
    .string()
    .trim()
    .toUpperCase()
    .min(1, 'must not be blank')
    .max(40, 'must be at most 40 characters')
    .nullish()
    .describe(
      'A coupon code (any case, e.g. KARIBU20). Its duration counts from the first billed period; a code that cannot be used is refused with the reason.',
    ),
});

export type SubscribeInput = z.input<typeof subscribeSchema>;

export async function subscribe(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  cipher: FieldCipher,
  input: SubscribeInput,
  now: Date = new Date(),
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(subscribeSchema, input);
  const em = rootEm.fork();

  // Keys are the caller's own: two apps that both send "retry-1" mean two different requests.
  const { actorType, actorId } = actorOf(caller);
  const idempotencyKey = data.idempotencyKey ? `${actorType}:${actorId}:${data.idempotencyKey}` : null;
  if (idempotencyKey) {
    const previous = await em.findOne(
      Subscription,
      { idempotencyKey, customer: visibleCustomers(caller) },
      { populate: ['plan', 'customer'] },
    );
    if (previous) {
      if (previous.customer.id !== data.customerId || previous.plan.id !== data.planId) {
        throw new ConflictError('this Idempotency-Key was already used for a different subscribe request');
      }
      await lifecycle.start(previous);
      return previous;
    }
  }

  const [customer, plan] = await Promise.all([
    em.findOne(Customer, visibleCustomers(caller, { id: data.customerId })),
    em.findOne(Plan, { id: data.planId }),
  ]);
  if (!customer) throw new NotFoundError('Customer', data.customerId);
  if (!plan) throw new NotFoundError('Plan', data.planId);
  if (plan.status !== 'ACTIVE')
    throw new ValidationError({ 'input.planId': 'must be an ACTIVE plan (this one is archived)' });

  const method = data.paymentMethod
    ? paymentMethodFrom(data.paymentMethod, plan.currency, 'input.paymentMethod')
    : null;
  const coupon = data.couponCode ? await redeemableCoupon(em, data.couponCode, plan, now) : null;

  const trialEnd =
    data.trialEnd !== undefined
      ? data.trialEnd
      : plan.trialDays > 0
        ? // On a minute plan a trial "day" is a minute too, like every other wait (see inMinutes).
          plan.interval === 'MINUTE'
          ? new Date(now.getTime() + plan.trialDays * 60_000)
          : addDays(now, plan.trialDays)
        : null;
  const status = initialStatus(trialEnd ?? null, now);
  const trialing = status === 'TRIALING';
  const subscription = em.create(Subscription, {
    customer,
    plan,
    status,
    trialStart: trialing ? now : null,
    trialEnd: trialing ? trialEnd : null,
    billingAnchor: trialing && trialEnd ? trialEnd : now,
    idempotencyKey,
    quantity: data.quantity,
    // Period 0 is the first billed period (after any trial): the coupon's duration counts from it.
    ...(coupon ? { coupon, couponRedeemedAtPeriod: 0 } : {}),
  });
  if (method) {
    subscription.paymentProvider = providerOf(method);
    subscription.paymentMethodSealed = sealMethod(cipher, method, sealingContext.subscription(subscription.id));
    subscription.paymentMethodLabel = labelOf(method);
  }
  recordAudit(em, caller, 'subscription.created', 'Subscription', subscription.id, {
    planId: plan.id,
    quantity: data.quantity,
    paymentProvider: subscription.paymentProvider,
  });
  try {
    await em.transactional(async (tx) => {
      // The insert goes first: a concurrent request with the same key then fails on it (and answers with the
      // winner's row below) rather than on a coupon that the winner's redemption used up.
      await tx.flush();
      if (coupon) await redeemCoupon(tx, coupon, plan, now);
      await queueNotice(tx, {
        kind: 'subscription_started',
        dedupeKey: `subscription_started:${subscription.id}`,
        subscriptionId: subscription.id,
        customerId: customer.id,
        payload: {
          planName: plan.name,
          amount: plan.amount,
          currency: plan.currency,
          interval: plan.interval,
          intervalCount: plan.intervalCount,
          trialEnd: subscription.trialEnd?.toISOString() ?? null,
        },
      });
    });
  } catch (error) {
    // The same key raced in from a concurrent request: answer with the winner's subscription.
    if (idempotencyKey && (error as Error).name === 'UniqueConstraintViolationException') {
      return subscribe(rootEm, caller, lifecycle, cipher, input, now);
    }
    throw error;
  }
  await lifecycle.start(subscription);
  // A PayPal subscription that pays now needs the buyer: give the caller the approval link in this same answer.
  if (subscription.paymentProvider === 'PAYPAL' && subscription.status === 'INCOMPLETE') {
    await firstApprovalLink(rootEm, subscription.id);
  }
  return subscription;
}

/** Waits (briefly) for the workflow to create the first PayPal order; the answer's approvalUrl then shows it. */
async function firstApprovalLink(rootEm: EntityManager, subscriptionId: string, waitMs = 5000): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const waiting = await rootEm.fork().count(Payment, {
      status: 'PENDING',
      approvalUrl: { $ne: null },
      invoice: { subscription: subscriptionId },
    });
    if (waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The coupon for `code`, if the rules let this plan use it now; otherwise a refusal in the customer's words. */
async function redeemableCoupon(em: EntityManager, code: string, plan: Plan, now: Date): Promise<Coupon> {
  const coupon = await em.findOne(Coupon, { code });
  if (!coupon) throw new ValidationError({ 'input.couponCode': 'There is no such code.' });
  refuseUnlessRedeemable(coupon, plan, now, coupon.timesRedeemed);
  return coupon;
}

function refuseUnlessRedeemable(coupon: Coupon, plan: Plan, now: Date, redemptions: number): void {
  const refusal = couponRefusal(coupon, { planId: plan.id, currency: plan.currency, now, redemptions });
  if (refusal) throw new ValidationError({ 'input.couponCode': refusal.reason });
}

/**
 * Counts the redemption in the subscription's transaction, so a refused or failed subscribe counts none. The
 * conditional increment is the real limit: concurrent redemptions queue on the coupon's row, and once the last one
 * commits the others match no row. It takes a FOR NO KEY UPDATE lock, which does not wait for the key-share locks
 * that inserting subscriptions take on the coupon.
 */
async function redeemCoupon(em: EntityManager, coupon: Coupon, plan: Plan, now: Date): Promise<void> {
  const rows = await em.execute<{ times_redeemed: number }[]>(
    `update coupons set times_redeemed = times_redeemed + 1, updated_at = now()
     where id = ? and (max_redemptions is null or times_redeemed < max_redemptions)
     returning times_redeemed`,
    [coupon.id],
  );
  if (rows.length > 0) return;
  const [current] = await em.execute<{ times_redeemed: number }[]>('select times_redeemed from coupons where id = ?', [
    coupon.id,
  ]);
  refuseUnlessRedeemable(coupon, plan, now, current?.times_redeemed ?? Number.MAX_SAFE_INTEGER);
  throw new Error(`coupon ${coupon.code} could not be redeemed, yet no rule refuses it`);
}
