// What a customer wants to know about a subscription at a glance, from its fields.
import type { SubscriptionSummaryFieldsFragment } from '../graphql/graphql';
import { daysUntil, formatDate, formatMoney } from '../lib/format';
import { periodAmount } from './plans';

type Summary = SubscriptionSummaryFieldsFragment;

const RENEWING = new Set(['ACTIVE', 'TRIALING', 'PAST_DUE']);

/** "Renews on 1 Dec 2026 for Ksh 1,500.00" (the next period's plan and quantity, before coupons and tax). */
export function renewalText(subscription: Summary, locale: string): string | null {
  if (subscription.status === 'PAUSED') return 'Paused: no invoices until it resumes.';
  if (!RENEWING.has(subscription.status) || !subscription.currentPeriodEnd) return null;
  const date = formatDate(subscription.currentPeriodEnd, locale);
  if (subscription.cancelAtPeriodEnd) return `Ends on ${date}.`;
  const plan = subscription.pendingPlan ?? subscription.plan;
  const amount = periodAmount(plan, subscription.pendingQuantity ?? subscription.quantity);
  const money = amount === null ? '' : ` for ${formatMoney(amount, plan.price.currency, locale)}`;
  return `${subscription.status === 'TRIALING' ? 'First payment' : 'Renews'} on ${date}${money}.`;
}

export function trialDaysLeft(subscription: Summary): number | null {
  return subscription.status === 'TRIALING' ? daysUntil(subscription.trialEnd) : null;
}

/** The invoice a customer should pay now, if any. */
export function openInvoice(subscription: Summary): Summary['invoices'][number] | null {
  return subscription.invoices.filter((invoice) => invoice.status === 'OPEN').at(-1) ?? null;
}
