// Opening a hosted page: the page trades the link's token, once, for a short-lived access token that acts for that
// one customer (a `hostedSession` caller: the customer's own rights, narrowed by the same ownership rules as a
// CUSTOMER user's). The token is claimed by one conditional update, so of two browsers racing with one link exactly
// one gets in; there is no refresh token, so the page's access ends with its JWT.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import type { AccessTokens } from '../auth/accessTokens.js';
import { digest } from '../auth/secrets.js';
import { HostedSession, type Customer, type Plan } from '../entities/index.js';
import type { HostedSessionKind } from '../entities/HostedSession.js';
import { HOSTED_SESSION_SCOPES, type Caller } from '../kernel/caller.js';
import { ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';

export const HOSTED_ACCESS_TOKEN_TTL_SECONDS = 30 * 60;

const tokenSchema = z.object({ token: z.string().min(1, 'is not valid').max(200, 'is not valid') });

export interface HostedSessionLogin {
  kind: HostedSessionKind;
  accessToken: string;
  accessTokenExpiresAt: Date;
  customer: Customer;
  plan: Plan | null;
  quantity: number | null;
  couponCode: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
  returnUrl: string | null;
  appName: string;
}

export async function redeemHostedSession(
  rootEm: EntityManager,
  accessTokens: AccessTokens,
  token: string,
  now = new Date(),
): Promise<HostedSessionLogin> {
  const data = parseInput(tokenSchema, { token }, '');
  const tokenHash = digest(data.token);
  const em = rootEm.fork();
  // The database's clock decides expiry, the same for every API instance.
  const claimed = await em.execute<{ id: string }[]>(
    `update hosted_sessions set used_at = now()
     where token_hash = ? and used_at is null and expires_at > now()
     returning id`,
    [tokenHash],
  );
  if (claimed.length === 0) throw new ValidationError({ token: await whyRefused(em, tokenHash) });

  const session = await em.findOneOrFail(
    HostedSession,
    { id: claimed[0]!.id },
    { populate: ['customer', 'plan', 'apiClient'] },
  );
  const { customer, apiClient } = session;
  // An app that was switched off, or a customer deleted since the link was made, opens nothing.
  if (customer.deletedAt || apiClient.disabledAt) throw new ValidationError({ token: 'is not valid' });
  const caller: Caller = {
    kind: 'hostedSession',
    sessionId: session.id,
    customerId: customer.id,
    apiClientId: apiClient.id,
    scopes: HOSTED_SESSION_SCOPES,
  };
  const access = await accessTokens.issue(
    {
      sub: `hosted:${session.id}`,
      role: 'HOSTED',
      scopes: HOSTED_SESSION_SCOPES,
      customerId: customer.id,
      apiClientId: apiClient.id,
    },
    now,
    HOSTED_ACCESS_TOKEN_TTL_SECONDS,
  );
  recordAudit(em, caller, 'hosted_session.redeemed', 'Customer', customer.id, { hostedSessionId: session.id });
  await em.flush();
  return {
    kind: session.kind,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    customer,
    plan: session.plan,
    quantity: session.quantity,
    couponCode: session.couponCode,
    successUrl: session.successUrl,
    cancelUrl: session.cancelUrl,
    returnUrl: session.returnUrl,
    appName: apiClient.name,
  };
}

/** Which rule a token that could not be claimed breaks; a used link says so even once it has also expired. */
async function whyRefused(em: EntityManager, tokenHash: Buffer): Promise<string> {
  const session = await em.findOne(HostedSession, { tokenHash });
  if (!session) return 'is not valid';
  return session.usedAt ? 'has already been used' : 'has expired';
}
