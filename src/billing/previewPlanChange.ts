// What changePlan would do with the same input, without doing it: when the change applies and what it invoices or
// credits. It checks and decides what changePlan does (planChangeTarget) and prices with the activity's own function
// (planChangeProration), so the PRORATION invoice a change then writes has the amount the preview showed. Read-only:
// the workflow is not asked, so the current period comes from the subscription's last PERIOD invoice, which is the
// period the workflow is billing.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { billingPeriod } from '../domain/billingPeriod.js';
import { planChangeRefusal } from '../domain/subscriptionStatus.js';
import type { TaxSettings } from '../domain/tax.js';
import { Invoice } from '../entities/index.js';
import type { InvoiceLineKind } from '../entities/InvoiceLine.js';
import type { Caller } from '../kernel/caller.js';
import { ConflictError } from '../kernel/errors.js';
import { requireScope } from '../kernel/policy.js';
import { parseInput } from '../kernel/validate.js';
import { creditBalance } from './changes/customerCredit.js';
import { billedAt, creditToApply, planChangeProration } from './planChangeProration.js';
import { planTaxClass, prorationCredit, taxLines } from './taxLines.js';
import { changePlanSchema, planChangeTarget } from './requests/changePlan.js';

export interface PlanChangePreviewLine {
  kind: InvoiceLineKind;
  description: string;
  /** Minor units: negative for a credit. */
  amount: number;
}

export interface PlanChangePreview {
  timing: 'NOW' | 'PERIOD_END';
  effectiveAt: Date;
  /**
   * The proration's lines: a PRORATION invoice's (tax included) when they add up to more than 0; else what they add
   * up to is credited, with its tax. Empty when nothing is prorated (at the period end, or during a trial).
   */
  lines: PlanChangePreviewLine[];
  amountDueNow: number;
  /** Of the customer's credit balance, what pays the PRORATION invoice. */
  creditApplied: number;
  /** A change to a lower price now: the unused difference with its tax, added to the customer's credit balance. */
  creditGranted: number;
  /** The next period's invoice on the new plan, before any credit pays it. */
  nextPeriodAmount: number;
  currency: string;
}

export async function previewPlanChange(
  rootEm: EntityManager,
  caller: Caller,
  tax: TaxSettings,
  input: z.input<typeof changePlanSchema>,
  now = new Date(),
): Promise<PlanChangePreview> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(changePlanSchema, input);
  const em = rootEm.fork();
  const { subscription, current, next, quantity, timing } = await planChangeTarget(em, caller, data);
  await em.populate(subscription, ['coupon', 'customer']);
  await em.populate([current, next], ['product']);
  const billed = await em.findOne(Invoice, { subscription, kind: 'PERIOD' }, { orderBy: { periodIndex: 'desc' } });
  // The workflow's Update validator asks the same question.
  const refusal = planChangeRefusal(subscription.status, timing, billed !== null);
  if (refusal) throw new ConflictError(refusal);
  const trialing = subscription.status === 'TRIALING';
  const periodIndex = billed?.periodIndex ?? 0;
  // Before this period's invoice exists (a trial), "the next period" is the first billed one.
  const nextPeriod = billed && !trialing ? periodIndex + 1 : periodIndex;
  const currency = current.currency;
  // Taxed as writeInvoice taxes them: by the new plan's class (or its product's), the customer's exemption, and the
  // global setting for neither.
  const taxed = (amounts: number[]) =>
    taxLines(
      amounts.map((amount) => ({ amount, taxClass: planTaxClass(next) })),
      subscription.customer,
      tax,
      currency,
    );
  const nextPeriodAmount = taxed([billedAt(subscription, nextPeriod, { plan: next, quantity }).amount]).total;
  const nothingNow = { lines: [], amountDueNow: 0, creditApplied: 0, creditGranted: 0, nextPeriodAmount, currency };

  if (timing === 'PERIOD_END') {
    const effectiveAt = billingPeriod(subscription.billingAnchor, current, nextPeriod).start;
    return { timing, effectiveAt, ...nothingNow };
  }
  // A trial has billed nothing, so nothing is prorated: the plan switches now.
  if (trialing) return { timing, effectiveAt: now, ...nothingNow };

  const proration = planChangeProration(
    subscription,
    { plan: current, quantity: subscription.quantity },
    { plan: next, quantity },
    periodIndex,
    now,
  );
  const lines: PlanChangePreviewLine[] = proration.lines.map(({ kind, description, amount }) => ({
    kind,
    description,
    amount,
  }));
  if (proration.net <= 0) {
    const classes = { from: planTaxClass(current), to: planTaxClass(next) };
    const creditGranted = prorationCredit(proration.lines, classes, subscription.customer, tax, currency);
    return { timing, effectiveAt: proration.changeAt, ...nothingNow, lines, creditGranted };
  }
  const balance = await creditBalance(em, subscription.customer.id, currency);
  const totals = taxed(proration.lines.map((line) => line.amount));
  for (const { kind, description, amount } of totals.taxLines) lines.push({ kind, description, amount });
  const creditApplied = creditToApply(balance, totals.total);
  return {
    timing,
    effectiveAt: proration.changeAt,
    lines,
    amountDueNow: totals.total - creditApplied,
    creditApplied,
    creditGranted: 0,
    nextPeriodAmount,
    currency,
  };
}
