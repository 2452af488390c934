// The refund workflow's activities (src/workflows/refund.ts). Their names are recorded in histories: never rename one.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PaymentProviders } from '../payments/providers.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import { checkRefund, sendRefund } from '../refunds/refundThroughProvider.js';

export function createRefundActivities(em: EntityManager, providers: PaymentProviders, cipher: FieldCipher) {
  const ctx = { em, providers, cipher };
  return {
    /** Asks the provider for the money back, or follows up a request made before (a retry, a killed worker). */
    async sendRefund(input: { refundId: string }) {
      return sendRefund(ctx, input.refundId);
    },
    /** Asks where a PENDING refund stands. */
    async checkRefund(input: { refundId: string }) {
      return checkRefund(ctx, input.refundId);
    },
  };
}

export type RefundActivities = ReturnType<typeof createRefundActivities>;
