// A customer's M-Pesa Ratiba standing order for a subscription (docs/ratiba.md): recorded as PENDING_APPROVAL, then
// its workflow asks Daraja to put it on the customer's phone (the provider is called from activities only). The
// amount is what a period costs now (the last period invoice's total, else the plan's price with tax), in whole
// shillings; the order collects from the next period's start, each collection a paybill payment naming the
// customer's account number. Asking again while one is live returns it; a new amount replaces an active one.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { toDecimalString } from '../../domain/money.js';
import {
  kenyanDate,
  LIVE_STANDING_ORDER_STATUSES,
  ratibaFrequency,
  standingOrderMachine,
} from '../../domain/standingOrders.js';
import { isEnded } from '../../domain/subscriptionStatus.js';
import type { TaxSettings } from '../../domain/tax.js';
import { Customer, Invoice, StandingOrder, Subscription } from '../../entities/index.js';
import type { Caller } from '../../kernel/caller.js';
import { ConflictError, NotFoundError, ValidationError } from '../../kernel/errors.js';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import { parseInput } from '../../kernel/validate.js';
import { planLine } from '../../billing/pricing.js';
import { planTaxClass, taxLines } from '../../billing/taxLines.js';

export const requestStandingOrderSchema = z.object({
  subscriptionId: z.string().uuid('must be a subscription id (UUID)'),
});

/** Starts (or finds running) the order's workflow; src/temporal/standingOrderWorkflows.ts on the API side. */
export interface StandingOrderStarter {
  start(standingOrderId: string): Promise<void>;
}

/** Daraja takes an end date: an order lasts this long unless cancelled (a subscription has no fixed end). */
const ORDER_YEARS = 5;

export async function requestStandingOrder(
  rootEm: EntityManager,
  caller: Caller,
  deps: { workflows: StandingOrderStarter; tax: TaxSettings },
  input: z.input<typeof requestStandingOrderSchema>,
  now: Date = new Date(),
): Promise<StandingOrder> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(requestStandingOrderSchema, input);
  const order = await recordRequest(rootEm, caller, deps.tax, data.subscriptionId, now).catch(
    async (error: unknown) => {
      // Two requests at once: the one-live-order index let one through; this one answers with it.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const live = await rootEm.fork().findOne(StandingOrder, {
        subscription: data.subscriptionId,
        status: { $in: [...LIVE_STANDING_ORDER_STATUSES] },
      });
      if (!live) throw error;
      return live;
    },
  );
  // After the commit: a start lost here is made again by asking again (the same order is returned).
  if (order.status === 'PENDING_APPROVAL') await deps.workflows.start(order.id);
  return order;
}

function recordRequest(rootEm: EntityManager, caller: Caller, tax: TaxSettings, subscriptionId: string, now: Date) {
  return rootEm.fork().transactional(async (em) => {
    const subscription = await em.findOne(
      Subscription,
      { id: subscriptionId, customer: visibleCustomers(caller) },
      { populate: ['plan', 'plan.product', 'customer'] },
    );
    if (!subscription) throw new NotFoundError('Subscription', subscriptionId);
    const { frequency, amount, startsAt } = await terms(em, subscription, tax);
    const live = await em.findOne(StandingOrder, {
      subscription,
      status: { $in: [...LIVE_STANDING_ORDER_STATUSES] },
    });
    if (live && live.amount === amount) return live;
    if (live) {
      standingOrderMachine.assert(live.status, 'CANCELLED');
      live.status = 'CANCELLED';
      live.endedAt = now;
      live.failureMessage = `replaced by a standing order for a new amount (KES ${toDecimalString({ amount, currency: 'KES' })})`;
      await em.flush();
    }
    const end = new Date(startsAt);
    end.setUTCFullYear(end.getUTCFullYear() + ORDER_YEARS);
    const created = em.create(StandingOrder, {
      subscription,
      customer: subscription.customer,
      amount,
      currency: 'KES',
      frequency,
      startDate: kenyanDate(startsAt),
      endDate: kenyanDate(end),
      accountReference: (subscription.customer as Customer).accountNumber,
      status: 'PENDING_APPROVAL',
    });
    recordAudit(em, caller, 'standing_order.requested', 'Subscription', subscription.id, {
      standingOrderId: created.id,
      amount,
      frequency,
    });
    return created;
  });
}

/** What the order collects and how often, or a refusal naming the rule. */
async function terms(em: EntityManager, subscription: Subscription, tax: TaxSettings) {
  if (isEnded(subscription.status)) {
    throw new ConflictError(`this subscription is ${subscription.status}: there is nothing left to collect`);
  }
  if (subscription.paymentProvider !== 'MPESA') {
    throw new ConflictError('a standing order is for subscriptions paid by M-Pesa: set an M-Pesa payment method first');
  }
  const { plan } = subscription;
  if (plan.currency !== 'KES') {
    throw new ValidationError({
      'input.subscriptionId': `M-Pesa collects KES only; this plan is billed in ${plan.currency}`,
    });
  }
  const frequency = ratibaFrequency({ interval: plan.interval, intervalCount: plan.intervalCount });
  if (frequency === null) {
    throw new ValidationError({
      'input.subscriptionId': `M-Pesa Ratiba cannot collect every ${plan.intervalCount} ${plan.interval.toLowerCase()}(s): only daily, weekly, monthly, every 2, 3 or 6 months, or yearly`,
    });
  }
  const amount = await periodAmount(em, subscription, tax);
  if (amount <= 0 || amount % 100 !== 0) {
    throw new ValidationError({
      'input.subscriptionId': `M-Pesa collects whole shillings; a period of this subscription costs KES ${toDecimalString({ amount, currency: 'KES' })}`,
    });
  }
  const startsAt = subscription.currentPeriodEnd ?? subscription.trialEnd ?? subscription.billingAnchor;
  return { frequency, amount, startsAt };
}

/** What a period costs now: the last period invoice's total, or (none yet) the plan's price for the quantity, taxed. */
async function periodAmount(em: EntityManager, subscription: Subscription, tax: TaxSettings): Promise<number> {
  const [last] = await em.find(
    Invoice,
    { subscription, kind: 'PERIOD', status: { $in: ['OPEN', 'PAID'] } },
    { orderBy: { periodIndex: 'desc' }, limit: 1 },
  );
  if (last) return last.total;
  const line = planLine(subscription.plan, subscription.quantity);
  return taxLines(
    [{ amount: line.amount, taxClass: planTaxClass(subscription.plan) }],
    subscription.customer,
    tax,
    'KES',
  ).total;
}
