// The standing order workflow's activities (src/workflows/standingOrder.ts). Their names are recorded in histories:
// never rename one.
import type { PaymentContext } from '../payments/paymentContext.js';
import { expireStandingOrder, sendStandingOrder } from '../payments/ratiba/sendStandingOrder.js';

export function createStandingOrderActivities(ctx: PaymentContext) {
  return {
    /** Puts the order on the customer's phone through Daraja, or finds it asked already (a retry). */
    async sendStandingOrder(input: { standingOrderId: string }) {
      return sendStandingOrder(ctx, input.standingOrderId);
    },
    /** The wait is over: DECLINED when the customer never answered; the order's status either way. */
    async expireStandingOrder(input: { standingOrderId: string }) {
      return expireStandingOrder(ctx, input.standingOrderId);
    },
  };
}

export type StandingOrderActivities = ReturnType<typeof createStandingOrderActivities>;
