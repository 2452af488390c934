// A hosted checkout for one customer of a client app: the page subscribes them to one plan (the buyer picks how to
// pay), then sends them to the app's successUrl, or to cancelUrl if they give up.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { subscribeSchema } from '../billing/subscribe.js';
import { Plan } from '../entities/index.js';
import type { Caller } from '../kernel/caller.js';
import { NotFoundError, ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import {
  openHostedSession,
  returnUrls,
  returnUrlSchema,
  sessionCustomer,
  type HostedSessionLink,
  type HostedSettings,
} from './hostedSessions.js';

// The subscription's terms are subscribe's own fields, checked again when the page subscribes.
export const checkoutSessionSchema = subscribeSchema
  .pick({ customerId: true, planId: true, quantity: true, couponCode: true })
  .extend({
    successUrl: returnUrlSchema.describe(
      "Where the page sends the customer once subscribed: on one of the app's return origins.",
    ),
    cancelUrl: returnUrlSchema.describe(
      "Where the page sends the customer who gives up: on one of the app's return origins.",
    ),
  });

export async function createCheckoutSession(
  em: EntityManager,
  caller: Caller,
  settings: HostedSettings,
  input: z.input<typeof checkoutSessionSchema>,
): Promise<HostedSessionLink> {
  const data = parseInput(checkoutSessionSchema, input);
  const { customer, app } = await sessionCustomer(em, caller, data.customerId);
  const plan = await em.findOne(Plan, { id: data.planId });
  if (!plan) throw new NotFoundError('Plan', data.planId);
  if (plan.status !== 'ACTIVE') {
    throw new ValidationError({ 'input.planId': 'must be an ACTIVE plan (this one is archived)' });
  }
  const urls = returnUrls(app, { successUrl: data.successUrl, cancelUrl: data.cancelUrl });
  return openHostedSession(em, caller, settings, {
    kind: 'CHECKOUT',
    app,
    customer,
    fields: { plan, quantity: data.quantity, couponCode: data.couponCode ?? null, ...urls },
  });
}
