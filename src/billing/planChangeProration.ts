// What a plan or quantity change made now bills for the rest of the current period. One pure function for both sides:
// the activity that applies the change (changes/applyPlanChange.ts) and the preview the API answers
// (previewPlanChange.ts), so a preview shows to the minor unit what the change then invoices.
//
// Both prices are the ones the period is billed at: after the subscription's coupon when it discounts this period,
// so a customer on 20 % off pays 20 % less for the rest of the period too. Lines are rounded to what the provider
// can collect (whole shillings for KES) and lines that round to 0 are left out.
import { billingPeriod, type BillingPeriod } from '../domain/billingPeriod.js';
import { collectableAmount } from '../domain/money.js';
import { prorate, type ProrationLine } from '../domain/proration.js';
import type { Plan, Subscription } from '../entities/index.js';
import { couponDiscount, planDescription, planLine } from './pricing.js';

export interface PlanAtQuantity {
  plan: Plan;
  quantity: number;
}

export interface PlanChangeProration {
  /** The period being changed. */
  period: BillingPeriod;
  /** When the change counts from: the asked instant, moved inside the period. */
  changeAt: Date;
  currency: string;
  /** The credit for the unused time (if any), then the charge for it on the new price (if any); never 0. */
  lines: ProrationLine[];
  /** Charge minus credit: positive is invoiced now, negative becomes the customer's credit. */
  net: number;
}

/** The period's price of a plan at a quantity, after the coupon when it discounts this period (coupon loaded). */
export function billedAt(subscription: Subscription, periodIndex: number, { plan, quantity }: PlanAtQuantity) {
  const listPrice = planLine(plan, quantity).amount;
  const discount = couponDiscount(subscription, periodIndex, listPrice, plan.currency);
  return {
    amount: listPrice - (discount?.amount ?? 0),
    description: planDescription(plan, quantity) + (discount ? ` (after coupon ${subscription.coupon!.code})` : ''),
  };
}

/**
 * The proration of a change from `from` to `to` at `changeAt` in period `periodIndex` (the subscription's coupon
 * must be loaded). A change handled late (after the period end, while the workflow run still finishes) is moved to
 * the period's last millisecond: nothing is left to prorate, and the next period bills the new plan.
 */
export function planChangeProration(
  subscription: Subscription,
  from: PlanAtQuantity,
  to: PlanAtQuantity,
  periodIndex: number,
  changeAt: Date,
): PlanChangeProration {
  const period = billingPeriod(subscription.billingAnchor, from.plan, periodIndex);
  const at = new Date(Math.min(Math.max(changeAt.getTime(), period.start.getTime()), period.end.getTime() - 1));
  const currency = from.plan.currency;
  const proration = prorate({
    periodStart: period.start,
    periodEnd: period.end,
    changeAt: at,
    currency,
    from: billedAt(subscription, periodIndex, from),
    to: billedAt(subscription, periodIndex, to),
  });
  const lines = proration.lines
    .map((line) => ({ ...line, amount: collectableAmount(line.amount, currency) }))
    .filter((line) => line.amount !== 0);
  return { period, changeAt: at, currency, lines, net: lines.reduce((sum, line) => sum + line.amount, 0) };
}

/** How much of a credit balance pays an invoice of `total`. */
export function creditToApply(balance: number, total: number): number {
  return Math.max(0, Math.min(balance, total));
}
