// A plan's price in words, in its own currency and the customer's locale, and what a quantity of it costs
// (the domain's own pricing, src/domain/pricing.ts: flat, graduated or volume tiers).
import { flatPrice, tieredAmount, type PriceTier } from '../../../src/domain/pricing.js';
import { isPaypalCurrency } from '../../../src/payments/paypal/currencies.js';
import { formatInterval, formatMoney } from '../lib/format';

export interface PlanPricing {
  pricingModel: string;
  interval: string;
  intervalCount: number;
  price: { amount: number; currency: string };
  tiers?: readonly PriceTier[] | null;
  limits?: Record<string, unknown>;
}

export function isSeatBased(plan: PlanPricing): boolean {
  return plan.pricingModel !== 'FLAT' || (plan.limits !== undefined && 'seats' in plan.limits);
}

/** The cost of `quantity` for one period, before coupons and tax; null when the tiers cannot price it. */
export function periodAmount(plan: PlanPricing, quantity: number): number | null {
  try {
    if (plan.pricingModel === 'FLAT' || !plan.tiers?.length) return flatPrice(plan.price.amount, quantity);
    return tieredAmount(plan.tiers, plan.pricingModel as 'GRADUATED' | 'VOLUME', quantity);
  } catch {
    return null;
  }
}

/** "KES 1,500.00 per month", "USD 10.00 per seat every 3 months". */
export function priceText(plan: PlanPricing, locale: string): string {
  const money = formatMoney(plan.price.amount, plan.price.currency, locale);
  const interval = formatInterval(plan.interval, plan.intervalCount);
  if (plan.pricingModel !== 'FLAT' && plan.tiers?.length) return `Priced by quantity, ${interval}`;
  return isSeatBased(plan) ? `${money} per seat, ${interval}` : `${money} ${interval}`;
}

/** One line per tier: "1 to 10: KES 100.00 each", "11 and more: KES 80.00 each + KES 500.00". */
export function tierLines(plan: PlanPricing, locale: string): string[] {
  if (plan.pricingModel === 'FLAT' || !plan.tiers?.length) return [];
  const money = (amount: number) => formatMoney(amount, plan.price.currency, locale);
  let from = 1;
  return plan.tiers.map((tier) => {
    const range = tier.upTo === null ? `${from} and more` : `${from} to ${tier.upTo}`;
    from = (tier.upTo ?? from) + 1;
    const flat = tier.flatAmount ? ` + ${money(tier.flatAmount)}` : '';
    return `${range}: ${money(tier.unitAmount)} each${flat}`;
  });
}

export type PaymentChoice = 'MPESA' | 'PAYPAL';

/** Why a way to pay cannot take this currency, or null when it can. */
export function unavailableReason(choice: PaymentChoice, currency: string): string | null {
  if (choice === 'MPESA')
    return currency === 'KES' ? null : `M-Pesa takes Kenyan shillings (KES) only; this plan is in ${currency}.`;
  return isPaypalCurrency(currency) ? null : `PayPal does not take ${currency}; pay with M-Pesa.`;
}
