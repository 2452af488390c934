// What a plan costs on an invoice line: the plan's amount at a quantity, its description, and what the subscription's
// coupon takes off a period. Period invoices, proration and reports price with these.
import { couponAppliesToPeriod, discountAmount } from '../domain/coupons.js';
import { collectableAmount, toDecimalString } from '../domain/money.js';
import { flatPrice, tieredAmount } from '../domain/pricing.js';
import type { Plan, Subscription } from '../entities/index.js';

/**
 * The plan's charge for a period at the subscription's quantity. Tiered prices have no single unit price, so they
 * bill as one line whose unit amount is the whole tiered amount.
 */
export function planLine(plan: Plan, quantity: number): { quantity: number; unitAmount: number; amount: number } {
  if (plan.pricingModel === 'FLAT')
    return { quantity, unitAmount: plan.amount, amount: flatPrice(plan.amount, quantity) };
  const amount = tieredAmount(plan.tiers ?? [], plan.pricingModel, quantity);
  return { quantity: 1, unitAmount: amount, amount };
}

/** "Pro", or "Pro × 3" for more than one. */
export function planDescription(plan: Plan, quantity: number): string {
  return quantity > 1 ? `${plan.name} × ${quantity}` : plan.name;
}

/** "25", "12.5", "0.05": basis points as an exact percentage, without floating point. */
function percentText(basisPoints: number): string {
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${Math.floor(basisPoints / 100)}${fraction ? `.${fraction}` : ''}`;
}

/**
 * What the subscription's coupon takes off this period's plan amount (minor units, positive), or null when it takes
 * nothing: no coupon, a period before the redemption, a duration that has run out, or nothing to take off. The
 * coupon must be loaded. Proration (applyPlanChange) prices the rest of a period with it too.
 */
export function couponDiscount(
  subscription: Subscription,
  periodIndex: number,
  planAmount: number,
  currency: string,
): { amount: number; description: string } | null {
  const coupon = subscription.coupon;
  const redeemedAt = subscription.couponRedeemedAtPeriod;
  if (!coupon || redeemedAt === null) return null;
  const periodsSinceRedemption = periodIndex - redeemedAt;
  if (periodsSinceRedemption < 0 || !couponAppliesToPeriod(coupon, periodsSinceRedemption)) return null;
  // Never more than the plan line, and collectable (whole shillings for M-Pesa).
  const amount = Math.min(planAmount, collectableAmount(discountAmount(coupon, planAmount, currency), currency));
  if (amount === 0) return null;
  const off =
    coupon.percentOffBasisPoints !== null
      ? `${percentText(coupon.percentOffBasisPoints)} % off`
      : `${currency} ${toDecimalString({ amount, currency })} off`;
  const which =
    coupon.duration === 'REPEATING' ? ` (period ${periodsSinceRedemption + 1} of ${coupon.durationInPeriods})` : '';
  return { amount, description: `Coupon ${coupon.code}: ${off}${which}` };
}
