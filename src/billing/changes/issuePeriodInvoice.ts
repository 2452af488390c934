// Issues the invoice for one billing period of a subscription, Kill Bill style: it works out what should
// exist and adds only what is missing, so running it again (an activity retry, a replayed workflow) changes
// nothing. The unique (subscription, period_start) constraint backs this up against concurrent runs.
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { billingPeriod } from '../../domain/billingPeriod.js';
import { assertTransition, statusAfterInvoice, type SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { NO_TAX, type TaxSettings } from '../../domain/tax.js';
import { Invoice, Plan, Subscription } from '../../entities/index.js';
import { queueNotice } from '../../notices/queueNotice.js';
import { NotFoundError } from '../../kernel/errors.js';
import { couponDiscount, planDescription, planLine } from '../pricing.js';
import { writeInvoice } from './writeInvoice.js';

export interface IssuePeriodInvoiceInput {
  subscriptionId: string;
  periodIndex: number;
}

export interface IssuedInvoice {
  invoiceId: string;
  number: string;
  total: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
  amountDue: number;
  /** The plan the period is billed on (a change at the period end may have just applied). */
  planId: string;
  /** The invoice's status now: a retry may find it already PAID. */
  invoiceStatus: string;
  /** false when the invoice already existed (a retry). */
  created: boolean;
  subscriptionStatus: SubscriptionStatus;
}

function describe(invoice: Invoice, created: boolean, status: SubscriptionStatus, planId: string): IssuedInvoice {
  return {
    invoiceId: invoice.id,
    number: invoice.number,
    total: invoice.total,
    amountDue: invoice.amountDue,
    planId,
    invoiceStatus: invoice.status,
    currency: invoice.currency,
    periodStart: invoice.periodStart.toISOString(),
    periodEnd: invoice.periodEnd.toISOString(),
    created,
    subscriptionStatus: status,
  };
}

/**
 * More work for the transaction that creates the invoice, run after it is written (not when it already existed):
 * issueAndChargePeriodInvoice writes the first charge's payment row there, saving a transaction of its own.
 */
export type OnIssued = (em: EntityManager, invoice: Invoice, subscription: Subscription) => Promise<void>;

/** What an invoice is written from, joined into the subscription's locking select. */
const WITH_INVOICE = ['plan.product', 'coupon', 'customer'] as const;

export async function issuePeriodInvoice(
  rootEm: EntityManager,
  { subscriptionId, periodIndex }: IssuePeriodInvoiceInput,
  taxSettings: TaxSettings = NO_TAX,
  onIssued?: OnIssued,
): Promise<IssuedInvoice> {
  try {
    return await rootEm.fork().transactional(async (em) => {
      // Row lock: concurrent runs for one subscription queue here instead of racing to insert. The sealed payment
      // method comes with it for onIssued's charge (read here, before the invoice number's lock is taken), and the
      // customer and the plan's product for writeInvoice's tax (two round trips fewer). Only the subscription's row
      // ("s0", the query's root): without `lockTableAliases` the joined plan's row was locked too, and every renewal
      // of a plan waited for the one before it to commit.
      const subscription = await em.findOne(
        Subscription,
        { id: subscriptionId },
        {
          populate: onIssued ? [...WITH_INVOICE, 'paymentMethodSealed'] : WITH_INVOICE,
          lockMode: LockMode.PESSIMISTIC_WRITE,
          lockTableAliases: ['s0'],
        },
      );
      if (!subscription) throw new NotFoundError('Subscription', subscriptionId);
      const period = billingPeriod(subscription.billingAnchor, subscription.plan, periodIndex);

      const existing = await em.findOne(Invoice, { subscription, periodStart: period.start, kind: 'PERIOD' });
      if (existing) return describe(existing, false, subscription.status, subscription.plan.id);

      // A change asked for "at the period end" takes effect with the first period it applies to (same cadence, so
      // the period itself does not move).
      if (subscription.pendingPlan && (subscription.pendingChangeAtPeriod ?? Infinity) <= periodIndex) {
        subscription.plan = await em.findOneOrFail(Plan, { id: subscription.pendingPlan.id });
        subscription.quantity = subscription.pendingQuantity ?? subscription.quantity;
        subscription.pendingPlan = null;
        subscription.pendingQuantity = null;
        subscription.pendingChangeAtPeriod = null;
      }
      const plan = subscription.plan;

      const nextStatus = statusAfterInvoice(subscription.status, subscription.paymentProvider !== null);
      assertTransition(subscription.status, nextStatus);

      // Dated by the period it bills (writeInvoice issues it at the period start), not by when the activity happens
      // to run: a late or retried run produces the same invoice.
      const line = planLine(plan, subscription.quantity);
      const discount = couponDiscount(subscription, periodIndex, line.amount, plan.currency);
      const covers = { periodStart: period.start, periodEnd: period.end };
      const invoice = await writeInvoice(
        em,
        {
          kind: 'PERIOD',
          subscription,
          periodIndex,
          ...covers,
          currency: plan.currency,
          subtotal: line.amount,
          lines: [
            {
              kind: 'PLAN',
              description: `${planDescription(plan, line.quantity)} (${period.start.toISOString().slice(0, 10)} – ${period.end.toISOString().slice(0, 10)})`,
              quantity: line.quantity,
              unitAmount: line.unitAmount,
              amount: line.amount,
              ...covers,
            },
            ...(discount
              ? [
                  {
                    kind: 'DISCOUNT' as const,
                    description: discount.description,
                    quantity: 1,
                    unitAmount: -discount.amount,
                    amount: -discount.amount,
                    ...covers,
                  },
                ]
              : []),
          ],
        },
        taxSettings,
      );
      subscription.status = nextStatus;
      if (invoice.amountDue > 0) {
        await queueNotice(em, {
          kind: 'invoice_issued',
          dedupeKey: `invoice_issued:${invoice.id}`,
          subscriptionId: subscription.id,
          customerId: subscription.customer.id,
          payload: {
            invoiceId: invoice.id,
            invoiceNumber: invoice.number,
            amount: invoice.amountDue,
            currency: plan.currency,
            dueAt: invoice.dueAt.toISOString(),
          },
        });
      }
      subscription.currentPeriodStart = period.start;
      subscription.currentPeriodEnd = period.end;
      await onIssued?.(em, invoice, subscription);
      return describe(invoice, true, nextStatus, plan.id);
    });
  } catch (error) {
    // Another run won the race on the unique constraint: what should exist now does.
    if (error instanceof UniqueConstraintViolationException) {
      const em = rootEm.fork();
      const subscription = await em.findOneOrFail(Subscription, { id: subscriptionId }, { populate: ['plan'] });
      const period = billingPeriod(subscription.billingAnchor, subscription.plan, periodIndex);
      const invoice = await em.findOneOrFail(Invoice, { subscription, periodStart: period.start, kind: 'PERIOD' });
      return describe(invoice, false, subscription.status, subscription.plan.id);
    }
    throw error;
  }
}
