// A plan or quantity change that takes effect now: the subscription switches at once, and the rest of the current
// period is billed on a PRORATION invoice of its own (credit for the unused time on the old price, charge for it on
// the new one), which the workflow then collects. Keyed by the change's id: a retried activity bills it once.
// During a trial nothing has been billed, so nothing is prorated. Both prices are the ones the period is billed at:
// after the subscription's coupon when it discounts this period, so a customer on 20 % off pays 20 % less for the
// rest of the period too. A change to a lower price credits the difference to the customer's balance instead,
// which their next invoices spend.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { billingPeriod } from '../../domain/billingPeriod.js';
import { NO_TAX, type TaxSettings } from '../../domain/tax.js';
import { Invoice, Plan } from '../../entities/index.js';
import { queueNotice } from '../../notices/queueNotice.js';
import { grantCredit } from './customerCredit.js';
import { planChangeProration } from '../planChangeProration.js';
import { planDescription, planLine } from '../pricing.js';
import { withLockedSubscription } from './withLockedSubscription.js';
import { writeInvoice } from './writeInvoice.js';
import { planTaxClass, prorationCredit } from '../taxLines.js';
import type { LifecycleAudit } from '../../workflows/types.js';

export interface PlanChangeNow {
  subscriptionId: string;
  planId: string;
  quantity: number;
  /** The period being changed; the workflow knows it. */
  periodIndex: number;
  /** ISO instant from the workflow's clock. */
  changeAt: string;
  /** Made by the workflow (deterministic): the proration invoice's idempotency key. */
  changeId: string;
  audit?: LifecycleAudit;
}

export interface AppliedPlanChange {
  /** The PRORATION invoice to collect, when the change costs something now. */
  invoiceId: string | null;
  net: number;
  currency: string;
}

export async function applyPlanChange(
  rootEm: EntityManager,
  change: PlanChangeNow,
  taxSettings: TaxSettings = NO_TAX,
): Promise<AppliedPlanChange> {
  try {
    return await withLockedSubscription(rootEm, change, async (em, subscription) => {
      const done = await em.findOne(Invoice, { planChangeId: change.changeId });
      if (done) return { invoiceId: done.id, net: done.total, currency: done.currency };

      const [from, to] = await Promise.all([
        em.findOneOrFail(Plan, { id: subscription.plan.id }, { populate: ['product'] }),
        em.findOneOrFail(Plan, { id: change.planId }, { populate: ['product'] }),
      ]);
      const switchNow = async (credit = 0) => {
        await queueNotice(em, {
          kind: 'plan_changed',
          dedupeKey: `plan_changed:${change.changeId}`,
          subscriptionId: subscription.id,
          customerId: subscription.customer.id,
          payload: {
            fromPlanName: from.name,
            toPlanName: to.name,
            effectiveAt: change.changeAt,
            amount: planLine(to, change.quantity).amount,
            currency: to.currency,
            ...(credit > 0 ? { creditAmount: credit } : {}),
          },
        });
        subscription.plan = to;
        subscription.quantity = change.quantity;
        subscription.pendingPlan = null;
        subscription.pendingQuantity = null;
        subscription.pendingChangeAtPeriod = null;
        await em.flush();
      };
      if (subscription.status === 'TRIALING') {
        await switchNow();
        return { invoiceId: null, net: 0, currency: to.currency };
      }

      await em.populate(subscription, ['coupon', 'customer']);
      const { changeAt, currency, lines, net, period } = planChangeProration(
        subscription,
        { plan: from, quantity: subscription.quantity },
        { plan: to, quantity: change.quantity },
        change.periodIndex,
        new Date(change.changeAt),
      );
      // A cheaper change owes the customer the difference, with its tax: it becomes credit, spent on their next invoices.
      const credit =
        net < 0
          ? prorationCredit(
              lines,
              { from: planTaxClass(from), to: planTaxClass(to) },
              subscription.customer,
              taxSettings,
              currency,
            )
          : 0;
      await switchNow(credit);
      if (credit > 0) {
        await grantCredit(em, {
          customerId: subscription.customer.id,
          subscriptionId: subscription.id,
          currency,
          amount: credit,
          description: `Unused time on ${planDescription(from, subscription.quantity)} after the change to ${planDescription(to, change.quantity)}`,
          dedupeKey: `plan-change:${change.changeId}`,
        });
      }
      if (net <= 0) return { invoiceId: null, net, currency };

      const invoice = await writeInvoice(
        em,
        {
          kind: 'PRORATION',
          planChangeId: change.changeId,
          subscription,
          periodIndex: change.periodIndex,
          periodStart: changeAt,
          periodEnd: period.end,
          currency,
          subtotal: net,
          lines: lines.map((line) => ({ ...line, quantity: 1, unitAmount: line.amount })),
        },
        taxSettings,
      );
      return { invoiceId: invoice.id, net, currency };
    });
  } catch (error) {
    // The same change raced in twice: the first one's invoice is the answer.
    if (error instanceof UniqueConstraintViolationException) {
      const done = await rootEm.fork().findOneOrFail(Invoice, { planChangeId: change.changeId });
      return { invoiceId: done.id, net: done.total, currency: done.currency };
    }
    throw error;
  }
}

/** A change at the period end: remembered on the subscription; the next period's invoice applies it. */
export async function schedulePlanChange(
  rootEm: EntityManager,
  input: { subscriptionId: string; planId: string; quantity: number; atPeriod: number; audit?: LifecycleAudit },
): Promise<void> {
  await withLockedSubscription(rootEm, input, async (em, subscription) => {
    const [from, to] = await Promise.all([
      em.findOneOrFail(Plan, { id: subscription.plan.id }),
      em.findOneOrFail(Plan, { id: input.planId }),
    ]);
    subscription.pendingPlan = to;
    subscription.pendingQuantity = input.quantity;
    subscription.pendingChangeAtPeriod = input.atPeriod;
    await em.flush();
    const effectiveAt = billingPeriod(subscription.billingAnchor, from, input.atPeriod).start.toISOString();
    await queueNotice(em, {
      kind: 'plan_changed',
      dedupeKey: `plan_changed:${subscription.id}:${input.atPeriod}:${to.id}:${input.quantity}`,
      subscriptionId: subscription.id,
      customerId: subscription.customer.id,
      payload: {
        fromPlanName: from.name,
        toPlanName: to.name,
        effectiveAt,
        amount: planLine(to, input.quantity).amount,
        currency: to.currency,
      },
    });
  });
}
