// A new payment method for a subscription: validated against the plan's currency, sealed, audited, and then the
// workflow is told, so an unpaid invoice is retried with it at once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { ConflictError, NotFoundError } from '../kernel/errors.js';
import type { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';
import { parseInput } from '../kernel/validate.js';
import { Subscription } from '../entities/index.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import {
  labelOf,
  paymentMethodFrom,
  paymentMethodSchema,
  providerOf,
  sealingContext,
  sealMethod,
} from './paymentMethods.js';
import { isEnded } from '../domain/subscriptionStatus.js';

export const updatePaymentMethodSchema = z.object({
  subscriptionId: z.string().uuid('must be a subscription id (UUID)'),
  paymentMethod: paymentMethodSchema,
});

export async function updatePaymentMethod(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  cipher: FieldCipher,
  input: z.input<typeof updatePaymentMethodSchema>,
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(updatePaymentMethodSchema, input);
  const em = rootEm.fork();
  const subscription = await em.findOne(
    Subscription,
    { id: data.subscriptionId, customer: visibleCustomers(caller) },
    { populate: ['plan'] },
  );
  if (!subscription) throw new NotFoundError('Subscription', data.subscriptionId);
  if (isEnded(subscription.status)) {
    throw new ConflictError(`this subscription is ${subscription.status}; its payment method cannot change`);
  }
  const method = paymentMethodFrom(data.paymentMethod, subscription.plan.currency, 'input.paymentMethod');
  const before = subscription.paymentMethodLabel;
  subscription.paymentProvider = providerOf(method);
  subscription.paymentMethodSealed = sealMethod(cipher, method, sealingContext.subscription(subscription.id));
  subscription.paymentMethodLabel = labelOf(method);
  recordAudit(em, caller, 'subscription.payment_method_changed', 'Subscription', subscription.id, {
    from: before,
    to: subscription.paymentMethodLabel,
  });
  await em.flush();
  // After the commit: a workflow that is not running (ended, or Temporal down) picks the method up at its next charge.
  await lifecycle.paymentMethodChanged(subscription.id);
  return subscription;
}
