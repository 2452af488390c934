// What creating a checkout or a portal session shares: who may (a client app, for its own customer, or an
// administrator), where the page may send the customer back (the app's return origins), and the link itself: a random
// token shown once, stored only as its SHA-256 digest, valid for minutes and for one use (redeemHostedSession.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { urlOnOrigins } from '../accounts/returnOrigins.js';
import { recordAudit } from '../audit/recordAudit.js';
import { digest, randomSecret } from '../auth/secrets.js';
import { ApiClient, Customer, HostedSession } from '../entities/index.js';
import type { HostedSessionKind } from '../entities/HostedSession.js';
import { ownCustomerOf, type Caller } from '../kernel/caller.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';

/** Long enough to fill in a checkout; a portal link is opened at once, by a click in the app. */
export const HOSTED_SESSION_LIFETIME_MS: Record<HostedSessionKind, number> = {
  CHECKOUT: 30 * 60_000,
  PORTAL: 10 * 60_000,
};

export interface HostedSettings {
  /** PUBLIC_URL without a trailing slash: links are `<publicUrl>/hosted/<token>`. */
  publicUrl: string;
}

export interface HostedSessionLink {
  url: string;
  expiresAt: Date;
}

export const returnUrlSchema = z.string().max(2048, 'must be at most 2048 characters');

/** The customer a session is for and the app whose origins bound it; refuses callers that act for one customer. */
export async function sessionCustomer(
  em: EntityManager,
  caller: Caller,
  customerId: string,
): Promise<{ customer: Customer; app: ApiClient }> {
  const known = requireScope(caller, 'write:subscriptions');
  if (ownCustomerOf(known)) throw new ForbiddenError('hosted sessions are made by client apps and administrators');
  const customer = await em.findOne(Customer, visibleCustomers(known, { id: customerId }), {
    populate: ['apiClient'],
  });
  if (!customer) throw new NotFoundError('Customer', customerId);
  if (!customer.apiClient) {
    throw new ValidationError({
      'input.customerId': "must be a client app's customer: the app's return origins say where the page may send them",
    });
  }
  return { customer, app: customer.apiClient };
}

/** Each URL (by input field) on one of the app's origins, as the browser will read it; otherwise every rule broken. */
export function returnUrls<K extends string>(app: ApiClient, urls: Record<K, string>): Record<K, string> {
  const checked = {} as Record<K, string>;
  const problems: Record<string, string> = {};
  for (const [field, value] of Object.entries(urls) as [K, string][]) {
    const result = urlOnOrigins(value, app.returnOrigins);
    if ('problem' in result) problems[`input.${field}`] = result.problem;
    else checked[field] = result.url;
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return checked;
}

export interface NewHostedSession {
  kind: HostedSessionKind;
  app: ApiClient;
  customer: Customer;
  /** What the page is for: the plan and return URLs of a checkout, the return URL of a portal. */
  fields: Partial<Pick<HostedSession, 'plan' | 'quantity' | 'couponCode' | 'successUrl' | 'cancelUrl' | 'returnUrl'>>;
}

/** Stores the session (its token's digest only) and answers with the link, which holds the token. */
export async function openHostedSession(
  em: EntityManager,
  caller: Caller,
  settings: HostedSettings,
  session: NewHostedSession,
  now = new Date(),
): Promise<HostedSessionLink> {
  const token = randomSecret(32);
  const expiresAt = new Date(now.getTime() + HOSTED_SESSION_LIFETIME_MS[session.kind]);
  const row = em.create(HostedSession, {
    kind: session.kind,
    tokenHash: digest(token),
    apiClient: session.app,
    customer: session.customer,
    expiresAt,
    createdAt: now,
    ...session.fields,
  });
  recordAudit(em, caller, `hosted_session.${session.kind.toLowerCase()}_created`, 'Customer', session.customer.id, {
    hostedSessionId: row.id,
    expiresAt: expiresAt.toISOString(),
  });
  await em.flush();
  return { url: `${settings.publicUrl}/hosted/${token}`, expiresAt };
}
