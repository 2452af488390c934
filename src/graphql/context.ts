import type { EntityManager } from '@mikro-orm/postgresql';
import type { SessionSettings } from '../accounts/sessions.js';
import { GraphQLError } from 'graphql';
import { InvalidCredentialsError, type CallerResolver } from '../auth/resolveCaller.js';
import type { Caller } from '../kernel/caller.js';
import type { EntitlementLookup } from '../billing/entitlement.js';
import type { TaxSettings } from '../domain/tax.js';
import type { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';
import type { BillingEventSource } from '../events/billingEventListener.js';
import type { RateLimiter } from '../http/rateLimit.js';
import type { HostedSettings } from '../hosted/hostedSessions.js';
import type { InvoiceLinkSettings } from '../invoices/invoiceLinks.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import type { AddressPolicy } from '../webhooks/endpointAddress.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  /** A fresh identity map for this request. */
  em: EntityManager;
  loaders: Loaders;
  caller: Caller;
  lifecycle: SubscriptionLifecycle;
  sessions: SessionSettings;
  billing: BillingSettings;
  payments: PaymentSettings;
  /** Limits login attempts per email and per client address. */
  loginLimiter: LoginLimiter;
  clientAddress: string;
  /** The client's Idempotency-Key header, if any. */
  idempotencyKey: string | null;
  /** Live billing events for subscriptions; absent where this process does not listen. */
  events?: BillingEventSource;
  /** Signs the links to invoice pages and PDFs. */
  invoiceLinks: InvoiceLinkSettings;
  /** Where hosted checkout and portal links point. */
  hosted: HostedSettings;
  /** Which webhook endpoint URLs are allowed (https and public addresses only, in production). */
  webhooks: AddressPolicy;
}

export interface ContextDependencies {
  em: EntityManager;
  lifecycle: SubscriptionLifecycle;
  callers: CallerResolver;
  sessions: SessionSettings;
  billing: BillingSettings;
  payments: PaymentSettings;
  loginLimiter: LoginLimiter;
  events?: BillingEventSource;
  invoiceLinks: InvoiceLinkSettings;
  hosted: HostedSettings;
  webhooks: AddressPolicy;
}

export interface BillingSettings {
  pastDueGraceDays: number;
  minutePlans: boolean;
  lookupEntitlement: EntitlementLookup;
  /** The tax invoices add (the worker bills with the same settings): previews show it too. */
  tax: TaxSettings;
}

export interface PaymentSettings {
  /** Seals payment methods (phones, vault ids) before they are stored. */
  cipher: FieldCipher;
  /** Our M-Pesa paybill when customers can pay it from their phones (docs/paybill.md); else null. */
  paybillShortCode?: string | null;
}

export interface LoginLimiter {
  perEmail: RateLimiter;
  perAddress: RateLimiter;
}

export interface RequestCredentials {
  authorization?: string | null;
  apiKey?: string | null;
  idempotencyKey?: string | null;
  clientAddress?: string;
}

/** Bad credentials fail the whole request with 401 UNAUTHENTICATED (Apollo would call a plain error a 500). */
async function resolveCaller(deps: ContextDependencies, request: RequestCredentials): Promise<Caller> {
  try {
    return await deps.callers.resolve({ authorization: request.authorization, apiKey: request.apiKey });
  } catch (error) {
    if (error instanceof InvalidCredentialsError) {
      throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
    throw error;
  }
}

export async function createContext(
  deps: ContextDependencies,
  request: RequestCredentials = {},
): Promise<GraphQLContext> {
  return contextFor(deps, await resolveCaller(deps, request), request);
}

/** What the lazy getters keep: plain own fields, so a copy starts with its own (still empty) identity map. */
interface LazyRequestState {
  rootEm: EntityManager;
  forkedEm: EntityManager | undefined;
  requestLoaders: Loaders | undefined;
}

// Getters on a prototype, never on the context itself: Apollo copies every context with Object.assign, which
// calls own getters, and forked the ORM on every request that way (7% of the entitlement path's CPU).
const lazyRequestParts = {
  get em(): EntityManager {
    const self = this as unknown as LazyRequestState;
    return (self.forkedEm ??= self.rootEm.fork());
  },
  get loaders(): Loaders {
    const self = this as unknown as LazyRequestState & { em: EntityManager };
    return (self.requestLoaders ??= createLoaders(self.em));
  },
};

/**
 * A request's context for a caller already known (graphql-ws resolves it once per connection). The identity map
 * and the loaders are made on first use: forking the ORM is not free, and the hottest query (entitlement) needs
 * neither.
 */
export function contextFor(
  deps: ContextDependencies,
  caller: Caller,
  request: RequestCredentials = {},
): GraphQLContext {
  const own: Omit<GraphQLContext, 'em' | 'loaders'> & LazyRequestState = {
    rootEm: deps.em,
    forkedEm: undefined,
    requestLoaders: undefined,
    caller,
    lifecycle: deps.lifecycle,
    sessions: deps.sessions,
    billing: deps.billing,
    payments: deps.payments,
    loginLimiter: deps.loginLimiter,
    clientAddress: request.clientAddress ?? 'unknown',
    idempotencyKey: request.idempotencyKey ?? null,
    events: deps.events,
    invoiceLinks: deps.invoiceLinks,
    hosted: deps.hosted,
    webhooks: deps.webhooks,
  };
  return Object.assign(Object.create(lazyRequestParts) as typeof lazyRequestParts, own);
}
