import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import pg from 'pg';
import { entitlementLookup } from '../billing/entitlement.js';
import { cachedEntitlementLookup, type EntitlementCache } from '../billing/entitlementCache.js';
import { PaypalProvider } from '../payments/paypal/PaypalProvider.js';
import {
  PaypalApiWebhookVerifier,
  PaypalWebhookVerifier,
  type WebhookSignatureVerifier,
} from '../payments/paypal/webhookSignature.js';
import { AccessTokens } from '../auth/accessTokens.js';
import { ApiKeyCache } from '../auth/apiKeyCache.js';
import { CallerResolver } from '../auth/resolveCaller.js';
import type { Config } from '../config.js';
import { BillingEventListener } from '../events/billingEventListener.js';
import type { ContextDependencies } from '../graphql/context.js';
import { invoiceLinkSettings } from '../invoices/invoiceLinks.js';
import { paybillShortCode } from '../payments/paybill/paybillShortCode.js';
import { sellerFromConfig } from '../invoices/sellerFromConfig.js';
import type { Seller } from '../invoices/invoiceDocument.js';
import { processLog } from '../logger.js';
import { trackPool } from '../observability/metrics.js';
import { RateLimiter } from './rateLimit.js';
import { WEB_APP_DIR, type WebAppOptions } from './webApp.js';
import { FieldCipher } from '../security/fieldCipher.js';
import { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';
import type { CollectionPolicy } from '../workflows/types.js';

export interface ApiDependencies extends ContextDependencies {
  events: BillingEventListener;
  /** Printed on invoices and credit notes: SELLER_NAME, SELLER_ADDRESS, SELLER_KRA_PIN. */
  seller: Seller;
  /** The entitlement answers kept in memory; null when ENTITLEMENT_CACHE_SIZE is 0. */
  entitlementCache: EntitlementCache | null;
  /** Closes what these dependencies opened (the entitlement pool, the billing events listener). */
  close(): Promise<void>;
}

/** Everything a GraphQL request needs, built from configuration: shared by server.ts and the tests. */
export function apiDependencies(config: Config, em: EntityManager, client: Client): ApiDependencies {
  const accessTokens = new AccessTokens(config.auth.jwtSecret, config.auth.accessTokenTtlSeconds);
  // The hot path's own connections, where its prepared statement lives (see src/billing/entitlement.ts). Fewer
  // connections than concurrent lookups leave the process waiting on round trips: half of ten cost 11% of the
  // saturation throughput (bench/).
  const entitlementPool = new pg.Pool({
    connectionString: config.database.url,
    max: config.database.entitlementPoolMax,
  });
  entitlementPool.on('error', () => undefined); // an idle connection dropping is not fatal; the next query reconnects
  trackPool('entitlement', entitlementPool);
  const attempts = config.security.loginAttemptsPerMinute;
  // Started here but not awaited: the API serves while Postgres is down, and the listener reconnects by itself.
  const events = new BillingEventListener({
    connectionString: config.database.url,
    log: processLog(),
  });
  events.start().catch(() => undefined);
  const { entitlementCacheSize, ...billing } = config.billing;
  const entitlements = cachedEntitlementLookup(entitlementLookup(entitlementPool), entitlementCacheSize, events);
  const { apiKeyCacheSize } = config.auth;
  const apiKeys = apiKeyCacheSize > 0 ? new ApiKeyCache(apiKeyCacheSize, () => events.listening) : null;
  const followingKeys = apiKeys?.follow(events);
  return {
    em,
    lifecycle: new SubscriptionLifecycle(client, config.temporal.taskQueue, collectionPolicy(config)),
    payments: { cipher: new FieldCipher(config.payments.keyring), paybillShortCode: paybillShortCode(config.payments) },
    callers: new CallerResolver(em, accessTokens, apiKeys),
    sessions: { accessTokens, refreshTokenTtlDays: config.auth.refreshTokenTtlDays },
    billing: { ...billing, lookupEntitlement: entitlements.lookup },
    // Many people can share one address (an office, a mobile carrier's NAT): it gets ten times an email's budget.
    loginLimiter: {
      perEmail: new RateLimiter({ capacity: attempts, refillPerSecond: attempts / 60 }),
      perAddress: new RateLimiter({ capacity: attempts * 10, refillPerSecond: (attempts * 10) / 60 }),
    },
    events,
    entitlementCache: entitlements.cache,
    invoiceLinks: invoiceLinkSettings(config),
    seller: sellerFromConfig(config),
    hosted: { publicUrl: config.payments.publicUrl.replace(/\/+$/, '') },
    webhooks: { allowPrivate: config.webhooks.allowPrivate },
    close: async () => {
      await Promise.all([entitlements.stop(), followingKeys?.stop()]);
      await Promise.all([entitlementPool.end(), events.close()]);
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How newly started subscription workflows collect invoices. */
export function collectionPolicy(config: Config): CollectionPolicy {
  return {
    retryDelaysMs: config.payments.retryDays.map((days) => Math.round(days * DAY_MS)),
    confirmAfterMs: config.payments.mpesaCallbackWaitSeconds * 1000,
    webhookWaitMs: DAY_MS,
    afterLastRetry: config.lifecycle.afterLastRetry,
    trialEndWithoutPaymentMethod: config.lifecycle.trialEndWithoutPaymentMethod,
    incompleteExpiryMs: Math.round(config.lifecycle.incompleteExpiryHours * 60 * 60 * 1000),
    trialEndingNoticeMs: Math.round(config.lifecycle.trialEndingNoticeDays * DAY_MS),
    renewalReminderMs: Math.round(config.lifecycle.renewalReminderDays * DAY_MS),
    standingOrderWaitMs: Math.round(config.payments.ratibaCollectionWaitHours * 60 * 60 * 1000),
  };
}

function paypalWebhookVerifier(payments: Config['payments']): WebhookSignatureVerifier | null {
  const { paypalWebhookId: webhookId, paypal, paypalWebhookToleranceSeconds: tolerance } = payments;
  if (!webhookId) return null;
  if (payments.paypalWebhookVerification === 'api' && paypal) {
    return new PaypalApiWebhookVerifier(new PaypalProvider(paypal), webhookId, tolerance);
  }
  return new PaypalWebhookVerifier(webhookId, payments.paypalCertUrlPrefixes, tolerance);
}

/** The web app's settings: its build in dist/web, the brand the emails use, and where the Temporal UI is. */
export function webAppSettings(config: Config): WebAppOptions {
  const { productName, primaryColor, logoUrl, supportEmail } = config.emails.brand;
  return {
    dir: WEB_APP_DIR,
    brand: { productName, primaryColor, logoUrl, supportEmail },
    temporalUi: config.temporal.uiUrl ? { url: config.temporal.uiUrl, namespace: config.temporal.namespace } : null,
  };
}

export function securityOptions(config: Config) {
  return {
    graphqlIde: config.http.graphqlIde,
    schemaSuggestions: config.nodeEnv !== 'production',
    corsOrigins: config.security.corsOrigins,
    tls: config.security.tls,
    requestsPerMinute: config.security.rateLimitPerMinute,
    mpesaCallbackSecret: config.payments.mpesaCallbackSecret,
    paybillShortCode: paybillShortCode(config.payments),
    paypalWebhooks: paypalWebhookVerifier(config.payments),
  };
}
