// A hosted customer portal for one customer of a client app: subscriptions, invoices, payment method and profile,
// with a way back to the app's returnUrl.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Caller } from '../kernel/caller.js';
import { parseInput } from '../kernel/validate.js';
import {
  openHostedSession,
  returnUrls,
  returnUrlSchema,
  sessionCustomer,
  type HostedSessionLink,
  type HostedSettings,
} from './hostedSessions.js';

export const portalSessionSchema = z.object({
  customerId: z.string().uuid('must be a customer id (UUID)'),
  returnUrl: returnUrlSchema.describe(
    "Where the portal sends the customer back to: on one of the app's return origins.",
  ),
});

export async function createPortalSession(
  em: EntityManager,
  caller: Caller,
  settings: HostedSettings,
  input: z.input<typeof portalSessionSchema>,
): Promise<HostedSessionLink> {
  const data = parseInput(portalSessionSchema, input);
  const { customer, app } = await sessionCustomer(em, caller, data.customerId);
  const urls = returnUrls(app, { returnUrl: data.returnUrl });
  return openHostedSession(em, caller, settings, { kind: 'PORTAL', app, customer, fields: urls });
}
