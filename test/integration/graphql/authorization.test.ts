// Every query and mutation, called by every kind of caller, through the GraphQL endpoint. A cell expects
// either success (optionally checking that only the caller's own data came back) or a precise error code.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Customer, Subscription } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { testCipher } from '../../support/config.js';
import { admin as adminCaller, aPlan, aProduct, uniqueCode, uniqueEmail } from '../../support/fixtures.js';
import { issueCreditNote } from '../../../src/creditNotes/issueCreditNote.js';
import { devServerEnvironment } from '../../support/temporal.js';
import { aPaidPayment } from '../../support/refundFixtures.js';
import { requestRefund } from '../../../src/refunds/requestRefund.js';
import { recordPaybillConfirmation } from '../../../src/payments/paybill/recordPaybillConfirmation.js';
import { sealingContext, sealMethod } from '../../../src/payments/paymentMethods.js';

/** hosted: a redeemed hosted session (checkout) for another customer of `app`. */
type CallerName = 'anonymous' | 'admin' | 'customerUser' | 'app' | 'appReadPlans' | 'otherApp' | 'hosted';
const CALLERS: CallerName[] = ['anonymous', 'admin', 'customerUser', 'app', 'appReadPlans', 'otherApp', 'hosted'];
/** BAD_USER_INPUT, CONFLICT: let through authorization, then refused by the use case's own rule (still proof of access). */
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT';

interface World {
  productId: string;
  productCode: string;
  planId: string;
  couponCode: string;
  appCustomerId: string;
  appCustomerExternalId: string;
  appSubscriptionId: string;
  appInvoiceId: string;
  /** A credit note on another invoice of the app's customer. */
  appCreditNoteId: string;
  /** Another subscription of the app's customer, for mutations that change one. */
  appOtherSubscriptionId: string;
  ownCustomerId: string;
  /** A billed subscription of the CUSTOMER user's own customer. */
  ownSubscriptionId: string;
  /** The hosted session's customer (one of the app's), with a billed subscription. */
  hostedCustomerId: string;
  hostedSubscriptionId: string;
  hostedInvoiceId: string;
  appId: string;
  /** A new checkout link's token, from the app. */
  freshHostedToken: () => Promise<string>;
  throwawayKeyId: () => Promise<string>;
  freshPlanId: () => Promise<string>;
  freshAppCustomerId: () => Promise<string>;
  /** A new OPEN invoice of the app's customer (no workflow runs for it). */
  freshOpenInvoiceId: () => Promise<string>;
  /** An ACTIVE monthly KES subscription of the app's customer, paid by M-Pesa: a standing order can collect it. */
  freshMpesaSubscriptionId: () => Promise<string>;
  freshCouponId: () => Promise<string>;
  /** The app's webhook endpoint, and an event about its customer. */
  appEndpointId: string;
  appEventId: string;
  freshAppEndpointId: () => Promise<string>;
  /** A refund of a payment of the app's customer, and fresh paid payments of that customer to refund. */
  appRefundId: string;
  freshAppPaymentId: () => Promise<string>;
  /** A paybill payment whose account named nothing, waiting to be assigned. */
  freshUnmatchedPaybillPaymentId: () => Promise<string>;
}

/** For setup writes that never settle an invoice, so never need to tell a workflow. */
const noWorkflow = { invoiceClosed: async () => undefined };

interface Operation {
  name: string;
  query: string;
  variables: (w: World) => Promise<Record<string, unknown>> | Record<string, unknown>;
  expect: Record<CallerName, Outcome>;
  /** For successes: what the caller must (not) see. */
  check?: (data: Record<string, unknown>, caller: CallerName, w: World) => void;
}

const anyone: Record<CallerName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  admin: 'ok',
  customerUser: 'ok',
  app: 'ok',
  appReadPlans: 'ok',
  otherApp: 'ok',
  hosted: 'ok',
};
const adminOnly: Record<CallerName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  admin: 'ok',
  customerUser: 'FORBIDDEN',
  app: 'FORBIDDEN',
  appReadPlans: 'FORBIDDEN',
  otherApp: 'FORBIDDEN',
  hosted: 'FORBIDDEN',
};
const catalogWriters: Record<CallerName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  admin: 'ok',
  customerUser: 'FORBIDDEN',
  app: 'ok',
  appReadPlans: 'FORBIDDEN',
  otherApp: 'ok',
  hosted: 'FORBIDDEN',
};
const customerReaders: Record<CallerName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  admin: 'ok',
  customerUser: 'ok',
  app: 'ok',
  appReadPlans: 'FORBIDDEN',
  otherApp: 'ok',
  hosted: 'ok',
};
const appCustomerOwners: Record<CallerName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  admin: 'ok',
  customerUser: 'NOT_FOUND',
  app: 'ok',
  appReadPlans: 'FORBIDDEN',
  otherApp: 'NOT_FOUND',
  hosted: 'NOT_FOUND',
};
const ownCustomerOwners: Record<CallerName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  admin: 'ok',
  customerUser: 'ok',
  app: 'NOT_FOUND',
  appReadPlans: 'FORBIDDEN',
  otherApp: 'NOT_FOUND',
  hosted: 'NOT_FOUND',
};
/** The hosted session's customer is one of the app's: the app, administrators and the session itself reach it. */
const hostedCustomerOwners: Record<CallerName, Outcome> = { ...appCustomerOwners, hosted: 'ok' };
/** Sessions are made by apps (for their own customers) and administrators, never by a customer or a session. */
const hostedSessionMakers: Record<CallerName, Outcome> = {
  ...appCustomerOwners,
  customerUser: 'FORBIDDEN',
  hosted: 'FORBIDDEN',
};

/** Webhooks are the app's own business: apps manage theirs (another app's are NOT_FOUND), administrators any. */
const webhookOwners: Record<CallerName, Outcome> = {
  ...appCustomerOwners,
  customerUser: 'FORBIDDEN',
  hosted: 'FORBIDDEN',
};
const webhookReaders: Record<CallerName, Outcome> = { ...webhookOwners, otherApp: 'ok' };

const ids = (connection: unknown) => (connection as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);

/** Lists show only what the caller owns: the app's rows to the app and admin, never to anyone else. */
function seesAppRowOnlyIfOwner(field: string, row: (w: World) => string) {
  return (data: Record<string, unknown>, caller: CallerName, w: World) => {
    const seen = ids(data[field]);
    if (caller === 'app') expect(seen).toContain(row(w));
    if (caller === 'customerUser' || caller === 'otherApp' || caller === 'hosted') expect(seen).not.toContain(row(w));
  };
}

/** Refunds: administrators and apps with write:refunds, on their own customers' payments; never customers. */
const refunders: Record<CallerName, Outcome> = {
  ...appCustomerOwners,
  customerUser: 'FORBIDDEN',
  hosted: 'FORBIDDEN',
};

const operations: Operation[] = [
  {
    name: 'refundPayment',
    query:
      'mutation ($id: ID!, $k: String!) { refundPayment(input: { paymentId: $id, reason: "authz", idempotencyKey: $k }) { id status } }',
    variables: async (w) => ({ id: await w.freshAppPaymentId(), k: `authz-${randomUUID()}` }),
    expect: refunders,
  },
  {
    name: 'refund',
    query: 'query ($id: ID!) { refund(id: $id) { id status } }',
    variables: (w) => ({ id: w.appRefundId }),
    expect: appCustomerOwners,
  },
  {
    name: 'refunds',
    query: '{ refunds(first: 100) { id customer: payment { customer { id } } } }',
    variables: () => ({}),
    expect: customerReaders,
    check: (data, caller, w) => {
      const seen = (data.refunds as { id: string }[]).map((r) => r.id);
      if (caller === 'app' || caller === 'admin') expect(seen).toContain(w.appRefundId);
      if (caller === 'customerUser' || caller === 'otherApp' || caller === 'hosted') {
        expect(seen).not.toContain(w.appRefundId);
      }
    },
  },
  {
    name: 'me',
    query: '{ me { id } }',
    variables: () => ({}),
    expect: {
      ...adminOnly,
      customerUser: 'ok',
      app: 'UNAUTHENTICATED',
      appReadPlans: 'UNAUTHENTICATED',
      otherApp: 'UNAUTHENTICATED',
      hosted: 'FORBIDDEN', // it acts for a customer, and is nobody who signs in
    },
  },
  {
    // A wrong current password: people reach the check (and change nothing); apps and hosted pages have no password.
    name: 'changePassword',
    query:
      'mutation { changePassword(input: { currentPassword: "not-the-password", newPassword: "a-new-long-password-1" }) { accessToken } }',
    variables: () => ({}),
    expect: {
      anonymous: 'UNAUTHENTICATED',
      admin: 'BAD_USER_INPUT',
      customerUser: 'BAD_USER_INPUT',
      app: 'FORBIDDEN',
      appReadPlans: 'FORBIDDEN',
      otherApp: 'FORBIDDEN',
      hosted: 'FORBIDDEN',
    },
  },
  { name: 'apiClients', query: '{ apiClients { id } }', variables: () => ({}), expect: adminOnly },
  { name: 'products', query: '{ products { edges { node { id } } } }', variables: () => ({}), expect: anyone },
  { name: 'plans', query: '{ plans { edges { node { id } } } }', variables: () => ({}), expect: anyone },
  {
    name: 'plan',
    query: 'query ($id: ID!) { plan(id: $id) { id product { id } } }',
    variables: (w) => ({ id: w.planId }),
    expect: anyone,
  },
  { name: 'coupons', query: '{ coupons { id } }', variables: () => ({}), expect: customerReaders },
  {
    name: 'validateCoupon',
    query: 'query ($c: String!, $p: ID!) { validateCoupon(code: $c, planId: $p) { valid } }',
    variables: (w) => ({ c: w.couponCode, p: w.planId }),
    expect: customerReaders,
  },
  {
    name: 'customers',
    query: '{ customers(first: 100) { edges { node { id } } } }',
    variables: () => ({}),
    expect: customerReaders,
    check: (data, caller, w) => {
      seesAppRowOnlyIfOwner('customers', (x) => x.appCustomerId)(data, caller, w);
      if (caller === 'customerUser') expect(ids(data.customers)).toEqual([w.ownCustomerId]);
      if (caller === 'hosted') expect(ids(data.customers)).toEqual([w.hostedCustomerId]);
    },
  },
  {
    name: 'customer (an app’s)',
    query: 'query ($id: ID!) { customer(id: $id) { id subscriptions { id } invoices { id } } }',
    variables: (w) => ({ id: w.appCustomerId }),
    expect: appCustomerOwners,
  },
  {
    name: 'customer (the user’s own)',
    query: 'query ($id: ID!) { customer(id: $id) { id } }',
    variables: (w) => ({ id: w.ownCustomerId }),
    expect: ownCustomerOwners,
  },
  {
    name: 'entitlement',
    query: 'query ($e: String!, $p: String!) { entitlement(customerExternalId: $e, product: $p) { granted status } }',
    variables: (w) => ({ e: w.appCustomerExternalId, p: w.productCode }),
    expect: {
      anonymous: 'UNAUTHENTICATED',
      admin: 'BAD_USER_INPUT', // an administrator must name the app: externalIds are unique per app only
      customerUser: 'FORBIDDEN',
      app: 'ok',
      appReadPlans: 'FORBIDDEN',
      otherApp: 'ok',
      hosted: 'FORBIDDEN',
    },
    check: (data, caller) => expect((data.entitlement as { granted: boolean }).granted).toBe(caller === 'app'),
  },
  {
    name: 'entitlement (naming the app)',
    query:
      'query ($e: String!, $p: String!, $a: ID) { entitlement(customerExternalId: $e, product: $p, apiClientId: $a) { granted reason } }',
    variables: (w) => ({ e: w.appCustomerExternalId, p: w.productCode, a: w.appId }),
    expect: {
      anonymous: 'UNAUTHENTICATED',
      admin: 'ok',
      customerUser: 'FORBIDDEN',
      app: 'ok',
      appReadPlans: 'FORBIDDEN',
      otherApp: 'FORBIDDEN', // another app's id
      hosted: 'FORBIDDEN',
    },
    check: (data) => expect(data.entitlement).toEqual({ granted: true, reason: 'SUBSCRIBED' }),
  },
  {
    // Apps in this matrix lack read:reports; an app that has it sees only its own (test/integration/reports).
    name: 'billingReport',
    query:
      'query ($from: DateTimeISO!, $to: DateTimeISO!) { billingReport(from: $from, to: $to) { monthlyRecurringRevenue { amount currency } } }',
    variables: () => ({ from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() }),
    expect: adminOnly,
  },
  {
    // The admin console's figures: administrators only, even for an app with read:reports (test/integration/admin).
    name: 'adminOverview',
    query:
      'query ($from: DateTimeISO!, $to: DateTimeISO!) { adminOverview(from: $from, to: $to, bucket: DAY) { series { start } } }',
    variables: () => ({ from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() }),
    expect: adminOnly,
  },
  {
    name: 'pastDueSubscriptions',
    query: '{ pastDueSubscriptions { subscriptionId subscription { id } } }',
    variables: () => ({}),
    expect: adminOnly,
  },
  {
    // Seen as invoices are: each caller sees the payments of the customers it may see (test/integration/admin).
    name: 'payments',
    query: '{ payments(first: 100) { edges { node { id customer { id } } } } }',
    variables: () => ({}),
    expect: customerReaders,
    check: (data, caller, w) => {
      const owners = (data.payments as { edges: { node: { customer: { id: string } } }[] }).edges.map(
        (e) => e.node.customer.id,
      );
      if (caller === 'customerUser') expect(owners.every((id) => id === w.ownCustomerId)).toBe(true);
      if (caller === 'hosted') expect(owners.every((id) => id === w.hostedCustomerId)).toBe(true);
      if (caller === 'otherApp') expect(owners).not.toContain(w.appCustomerId);
    },
  },
  {
    name: 'transactions',
    query: '{ transactions(first: 100) { edges { node { id customerId kind } } } }',
    variables: () => ({}),
    expect: customerReaders,
    check: (data, caller, w) => {
      const owners = (data.transactions as { edges: { node: { customerId: string } }[] }).edges.map(
        (e) => e.node.customerId,
      );
      if (caller === 'customerUser') expect(owners.every((id) => id === w.ownCustomerId)).toBe(true);
      if (caller === 'hosted') expect(owners.every((id) => id === w.hostedCustomerId)).toBe(true);
      if (caller === 'otherApp') expect(owners).not.toContain(w.appCustomerId);
      if (caller === 'app') expect(owners).toContain(w.appCustomerId); // so the exclusions above are not of nothing
    },
  },
  {
    name: 'transactionTotals',
    query: '{ transactionTotals { currency collected { amount } } }',
    variables: () => ({}),
    expect: customerReaders,
  },
  // Operators' lists and fixes: administrators only (test/integration/admin/operations.test.ts).
  {
    name: 'providerDeliveries',
    query: '{ providerDeliveries(first: 5) { edges { node { id status rawBody } } } }',
    variables: () => ({}),
    expect: adminOnly,
  },
  {
    name: 'failedNotices',
    query: '{ failedNotices(first: 5) { edges { node { id recipient } } } }',
    variables: () => ({}),
    expect: adminOnly,
  },
  { name: 'stuckPayments', query: '{ stuckPayments { id } }', variables: () => ({}), expect: adminOnly },
  {
    name: 'subscriptionsWithoutWorkflow',
    query: '{ subscriptionsWithoutWorkflow(first: 5) { checked notRunning { lastRun } } }',
    variables: () => ({}),
    expect: adminOnly,
  },
  {
    name: 'resendNotice',
    query: 'mutation ($id: ID!) { resendNotice(id: $id) { id } }',
    variables: () => ({ id: randomUUID() }),
    expect: { ...adminOnly, admin: 'NOT_FOUND' },
  },
  {
    name: 'checkPaymentNow',
    query: 'mutation ($id: ID!) { checkPaymentNow(paymentId: $id) { id } }',
    variables: () => ({ id: randomUUID() }),
    expect: { ...adminOnly, admin: 'NOT_FOUND' },
  },
  {
    name: 'startSubscriptionWorkflow',
    query: 'mutation ($id: ID!) { startSubscriptionWorkflow(subscriptionId: $id) { id } }',
    variables: () => ({ id: randomUUID() }),
    expect: { ...adminOnly, admin: 'NOT_FOUND' },
  },
  {
    name: 'subscriptions',
    query: '{ subscriptions(first: 100) { edges { node { id } } } }',
    variables: () => ({}),
    expect: customerReaders,
    check: seesAppRowOnlyIfOwner('subscriptions', (w) => w.appSubscriptionId),
  },
  {
    name: 'subscription',
    query:
      'query ($id: ID!) { subscription(id: $id) { id customer { id } plan { id } invoices { id } standingOrder { status } } }',
    variables: (w) => ({ id: w.appSubscriptionId }),
    expect: appCustomerOwners,
  },
  {
    name: 'invoices',
    query: '{ invoices(first: 100) { edges { node { id } } } }',
    variables: () => ({}),
    expect: customerReaders,
    check: seesAppRowOnlyIfOwner('invoices', (w) => w.appInvoiceId),
  },
  {
    name: 'invoice',
    query: 'query ($id: ID!) { invoice(id: $id) { id total { amount } lines { id } } }',
    variables: (w) => ({ id: w.appInvoiceId }),
    expect: appCustomerOwners,
  },
  {
    name: 'createApiClient',
    query: 'mutation { createApiClient(input: { name: "x", scopes: ["read:plans"] }) { id } }',
    variables: () => ({}),
    expect: adminOnly,
  },
  {
    name: 'createApiKey',
    query: 'mutation ($id: ID!) { createApiKey(apiClientId: $id) { key } }',
    variables: (w) => ({ id: w.appId }),
    expect: adminOnly,
  },
  {
    name: 'revokeApiKey',
    query: 'mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
    variables: async (w) => ({ id: await w.throwawayKeyId() }),
    expect: adminOnly,
  },
  {
    name: 'setApiClientReturnOrigins',
    query:
      'mutation ($id: ID!) { setApiClientReturnOrigins(input: { apiClientId: $id, origins: ["https://app.example.test"] }) { returnOrigins } }',
    variables: (w) => ({ id: w.appId }),
    expect: adminOnly,
  },
  {
    name: 'createCheckoutSession',
    query: `mutation ($c: ID!, $p: ID!) {
      createCheckoutSession(input: { customerId: $c, planId: $p, successUrl: "https://app.example.test/ok", cancelUrl: "https://app.example.test/no" }) { url }
    }`,
    variables: (w) => ({ c: w.hostedCustomerId, p: w.planId }),
    expect: hostedSessionMakers,
  },
  {
    name: 'createPortalSession',
    query:
      'mutation ($c: ID!) { createPortalSession(input: { customerId: $c, returnUrl: "https://app.example.test/account" }) { url } }',
    variables: (w) => ({ c: w.hostedCustomerId }),
    expect: hostedSessionMakers,
  },
  {
    // Public by design: the token is the credential.
    name: 'redeemHostedSession',
    query: 'mutation ($t: String!) { redeemHostedSession(token: $t) { kind customer { id } } }',
    variables: async (w) => ({ t: await w.freshHostedToken() }),
    expect: { ...anyone, anonymous: 'ok' },
    check: (data, _caller, w) =>
      expect(data.redeemHostedSession).toEqual({ kind: 'CHECKOUT', customer: { id: w.hostedCustomerId } }),
  },
  {
    name: 'customer (the hosted session’s own)',
    query: 'query ($id: ID!) { customer(id: $id) { id subscriptions { id } invoices { id } } }',
    variables: (w) => ({ id: w.hostedCustomerId }),
    expect: hostedCustomerOwners,
  },
  {
    name: 'subscription (the hosted session’s own)',
    query: 'query ($id: ID!) { subscription(id: $id) { id customer { id } plan { id } invoices { id } } }',
    variables: (w) => ({ id: w.hostedSubscriptionId }),
    expect: hostedCustomerOwners,
  },
  {
    name: 'invoice (the hosted session’s own)',
    query: 'query ($id: ID!) { invoice(id: $id) { id total { amount } htmlUrl pdfUrl } }',
    variables: (w) => ({ id: w.hostedInvoiceId }),
    expect: hostedCustomerOwners,
  },
  {
    name: 'updateCustomer (the hosted session’s own)',
    query: 'mutation ($id: ID!) { updateCustomer(input: { id: $id, locale: "sw-KE" }) { id } }',
    variables: (w) => ({ id: w.hostedCustomerId }),
    expect: hostedCustomerOwners,
  },
  {
    name: 'subscribe (the hosted session’s own)',
    query: 'mutation ($c: ID!, $p: ID!) { subscribe(input: { customerId: $c, planId: $p }) { id } }',
    variables: (w) => ({ c: w.hostedCustomerId, p: w.planId }),
    expect: hostedCustomerOwners,
  },
  {
    name: 'createProduct',
    query: 'mutation ($c: String!) { createProduct(input: { code: $c, name: "P" }) { id } }',
    variables: () => ({ c: uniqueCode() }),
    expect: catalogWriters,
  },
  {
    name: 'createPlan',
    query:
      'mutation ($p: ID!) { createPlan(input: { productId: $p, name: "Basic", amount: 50000, currency: "KES", interval: MONTH }) { id } }',
    variables: (w) => ({ p: w.productId }),
    expect: catalogWriters,
  },
  {
    name: 'changePlanPrice',
    query: 'mutation ($id: ID!) { changePlanPrice(input: { planId: $id, amount: 60000 }) { id version } }',
    variables: async (w) => ({ id: await w.freshPlanId() }),
    expect: catalogWriters,
  },
  {
    name: 'archivePlan',
    query: 'mutation ($id: ID!) { archivePlan(id: $id) { status } }',
    variables: async (w) => ({ id: await w.freshPlanId() }),
    expect: catalogWriters,
  },
  {
    name: 'expireCoupon',
    query: 'mutation ($id: ID!) { expireCoupon(id: $id) { active } }',
    variables: async (w) => ({ id: await w.freshCouponId() }),
    expect: catalogWriters,
  },
  {
    name: 'createCoupon',
    query:
      'mutation ($c: String!) { createCoupon(input: { code: $c, name: "C", percentOffBasisPoints: 1000, duration: ONCE }) { id } }',
    variables: () => ({ c: `C${randomUUID().slice(0, 8).toUpperCase()}` }),
    expect: catalogWriters,
  },
  {
    name: 'createCustomer (for an app)',
    query: 'mutation ($e: String!, $a: ID) { createCustomer(input: { email: $e, name: "N", apiClientId: $a }) { id } }',
    variables: (w) => ({ e: uniqueEmail(), a: w.appId }),
    // An app may name itself; only administrators name another app.
    expect: { ...adminOnly, app: 'ok' },
  },
  {
    name: 'moveCustomer',
    query: 'mutation ($c: ID!, $a: ID) { moveCustomer(input: { customerId: $c, apiClientId: $a }) { id } }',
    variables: async (w) => ({ c: await w.freshAppCustomerId(), a: null }),
    expect: adminOnly,
  },
  {
    name: 'createCustomer',
    query: 'mutation ($e: String!) { createCustomer(input: { email: $e, name: "N" }) { id } }',
    variables: () => ({ e: uniqueEmail() }),
    expect: { ...catalogWriters },
  },
  {
    name: 'updateCustomer (an app’s)',
    query: 'mutation ($id: ID!) { updateCustomer(input: { id: $id, name: "Renamed" }) { id } }',
    variables: (w) => ({ id: w.appCustomerId }),
    expect: appCustomerOwners,
  },
  {
    name: 'updateCustomer (the user’s own)',
    query: 'mutation ($id: ID!) { updateCustomer(input: { id: $id, locale: "sw-KE" }) { id } }',
    variables: (w) => ({ id: w.ownCustomerId }),
    expect: ownCustomerOwners,
  },
  {
    name: 'deleteCustomer',
    query: 'mutation ($id: ID!) { deleteCustomer(id: $id) { deletedAt } }',
    variables: async (w) => ({ id: await w.freshAppCustomerId() }),
    expect: appCustomerOwners,
  },
  {
    name: 'subscribe (an app’s customer)',
    query: 'mutation ($c: ID!, $p: ID!) { subscribe(input: { customerId: $c, planId: $p }) { id } }',
    variables: (w) => ({ c: w.appCustomerId, p: w.planId }),
    expect: appCustomerOwners,
  },
  {
    name: 'subscribe (the user’s own)',
    query: 'mutation ($c: ID!, $p: ID!) { subscribe(input: { customerId: $c, planId: $p }) { id } }',
    variables: (w) => ({ c: w.ownCustomerId, p: w.planId }),
    expect: ownCustomerOwners,
  },
  {
    name: 'payInvoice',
    query: 'mutation ($id: ID!) { payInvoice(input: { invoiceId: $id }) { id } }',
    variables: (w) => ({ id: w.appInvoiceId }),
    // Its subscription has no payment method: those allowed reach that rule, the others never learn it exists.
    expect: { ...appCustomerOwners, admin: 'BAD_USER_INPUT', app: 'BAD_USER_INPUT' },
  },
  {
    name: 'cancelSubscription',
    query: 'mutation ($id: ID!) { cancelSubscription(input: { subscriptionId: $id, atPeriodEnd: true }) { id } }',
    variables: (w) => ({ id: w.appOtherSubscriptionId }),
    // No workflow runs for it here: those allowed reach the lifecycle and are told it is not running.
    expect: { ...appCustomerOwners, admin: 'CONFLICT', app: 'CONFLICT' },
  },
  {
    name: 'uncancelSubscription',
    query: 'mutation ($id: ID!) { uncancelSubscription(input: { subscriptionId: $id }) { id } }',
    variables: (w) => ({ id: w.appOtherSubscriptionId }),
    expect: { ...appCustomerOwners, admin: 'CONFLICT', app: 'CONFLICT' },
  },
  {
    name: 'changePlan',
    query:
      'mutation ($id: ID!, $p: ID!) { changePlan(input: { subscriptionId: $id, planId: $p, quantity: 2 }) { id } }',
    variables: (w) => ({ id: w.appOtherSubscriptionId, p: w.planId }),
    expect: { ...appCustomerOwners, admin: 'CONFLICT', app: 'CONFLICT' },
  },
  {
    name: 'previewPlanChange (an app’s)',
    query:
      'query ($id: ID!, $p: ID!) { previewPlanChange(input: { subscriptionId: $id, planId: $p, quantity: 2 }) { timing amountDueNow } }',
    variables: (w) => ({ id: w.appSubscriptionId, p: w.planId }),
    expect: appCustomerOwners,
  },
  {
    name: 'previewPlanChange (the user’s own)',
    query:
      'query ($id: ID!, $p: ID!) { previewPlanChange(input: { subscriptionId: $id, planId: $p, quantity: 2 }) { timing amountDueNow } }',
    variables: (w) => ({ id: w.ownSubscriptionId, p: w.planId }),
    expect: ownCustomerOwners,
  },
  {
    name: 'previewPlanChange (the hosted session’s own)',
    query:
      'query ($id: ID!, $p: ID!) { previewPlanChange(input: { subscriptionId: $id, planId: $p, quantity: 2 }) { timing amountDueNow } }',
    variables: (w) => ({ id: w.hostedSubscriptionId, p: w.planId }),
    expect: hostedCustomerOwners,
  },
  {
    name: 'pauseSubscription',
    query: 'mutation ($id: ID!) { pauseSubscription(input: { subscriptionId: $id, periods: 1 }) { id } }',
    variables: (w) => ({ id: w.appOtherSubscriptionId }),
    expect: { ...appCustomerOwners, admin: 'CONFLICT', app: 'CONFLICT' },
  },
  {
    name: 'resumeSubscription',
    query: 'mutation ($id: ID!) { resumeSubscription(input: { subscriptionId: $id }) { id } }',
    variables: (w) => ({ id: w.appOtherSubscriptionId }),
    expect: { ...appCustomerOwners, admin: 'CONFLICT', app: 'CONFLICT' },
  },
  {
    name: 'updatePaymentMethod',
    query: `mutation ($id: ID!) {
      updatePaymentMethod(input: { subscriptionId: $id, paymentMethod: { provider: MPESA, phone: "0712345678" } }) {
        id paymentMethodLabel
      }
    }`,
    variables: (w) => ({ id: w.appOtherSubscriptionId }),
    expect: appCustomerOwners,
  },
  {
    name: 'eventTypes',
    query: '{ eventTypes }',
    variables: () => ({}),
    expect: anyone,
  },
  {
    name: 'webhookEndpoints',
    query: '{ webhookEndpoints { id url } }',
    variables: () => ({}),
    expect: webhookReaders,
    check: (data, caller, w) => {
      const seen = (data.webhookEndpoints as { id: string }[]).map((e) => e.id);
      if (caller === 'app' || caller === 'admin') expect(seen).toContain(w.appEndpointId);
      if (caller === 'otherApp') expect(seen).not.toContain(w.appEndpointId);
    },
  },
  {
    name: 'createWebhookEndpoint',
    query: `mutation ($a: ID) {
      createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hooks", eventTypes: ["invoice.paid"], apiClientId: $a }) { secret endpoint { id } }
    }`,
    variables: (w) => ({ a: w.appId }),
    expect: { ...webhookReaders, appReadPlans: 'FORBIDDEN' },
  },
  {
    name: 'updateWebhookEndpoint',
    query: 'mutation ($id: ID!) { updateWebhookEndpoint(input: { id: $id, description: "orders" }) { id } }',
    variables: (w) => ({ id: w.appEndpointId }),
    expect: webhookOwners,
  },
  {
    name: 'rotateWebhookEndpointSecret',
    query: 'mutation ($id: ID!) { rotateWebhookEndpointSecret(input: { id: $id, graceHours: 0 }) { secret } }',
    variables: (w) => ({ id: w.appEndpointId }),
    expect: webhookOwners,
  },
  {
    name: 'deleteWebhookEndpoint',
    query: 'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }',
    variables: async (w) => ({ id: await w.freshAppEndpointId() }),
    expect: webhookOwners,
  },
  {
    name: 'events',
    query: '{ events(first: 100) { edges { node { id type customerId deliveries { id attemptLog { attempt } } } } } }',
    variables: () => ({}),
    expect: webhookReaders,
    check: (data, caller, w) => {
      const seen = ids(data.events);
      if (caller === 'otherApp') expect(seen).not.toContain(w.appEventId);
      if (caller === 'app') expect(seen).toContain(w.appEventId);
    },
  },
  {
    name: 'event',
    query: 'query ($id: ID!) { event(id: $id) { id data } }',
    variables: (w) => ({ id: w.appEventId }),
    expect: webhookReaders,
    check: (data, caller) => {
      if (caller === 'otherApp') expect(data.event).toBeNull();
      else expect(data.event).not.toBeNull();
    },
  },
  {
    name: 'resendEvent',
    query: 'mutation ($id: ID!) { resendEvent(eventId: $id) { id status } }',
    variables: (w) => ({ id: w.appEventId }),
    expect: webhookOwners,
  },
  {
    name: 'voidInvoice',
    query: 'mutation ($id: ID!) { voidInvoice(input: { invoiceId: $id, reason: "issued twice" }) { status } }',
    variables: async (w) => ({ id: await w.freshOpenInvoiceId() }),
    expect: adminOnly,
  },
  {
    name: 'markInvoiceUncollectible',
    query: 'mutation ($id: ID!) { markInvoiceUncollectible(input: { invoiceId: $id, reason: "gone" }) { status } }',
    variables: async (w) => ({ id: await w.freshOpenInvoiceId() }),
    expect: adminOnly,
  },
  {
    name: 'creditNote',
    query: 'query ($id: ID!) { creditNote(id: $id) { number amount { amount } lines { description } htmlUrl } }',
    variables: (w) => ({ id: w.appCreditNoteId }),
    expect: appCustomerOwners,
  },
  {
    name: 'issueCreditNote',
    query:
      'mutation ($id: ID!, $key: String!) { issueCreditNote(input: { invoiceId: $id, reason: DUPLICATE, lines: [{ description: "x", amount: 100 }], idempotencyKey: $key }) { number } }',
    variables: async (w) => ({ id: await w.freshOpenInvoiceId(), key: randomUUID() }),
    expect: adminOnly,
  },
  {
    name: 'createInvoice',
    query:
      'mutation ($c: ID!, $key: String!) { createInvoice(input: { customerId: $c, currency: "KES", description: "Setup", lines: [{ description: "Setup fee", unitAmount: 5000 }], collect: SEND, idempotencyKey: $key }) { number kind } }',
    variables: (w) => ({ c: w.appCustomerId, key: randomUUID() }),
    // A customer's write:invoices pays its invoices: it is refused before any customer is looked up, its own too.
    expect: { ...appCustomerOwners, customerUser: 'FORBIDDEN', hosted: 'FORBIDDEN' },
  },
  {
    name: 'createInvoice for the customer itself',
    query:
      'mutation ($c: ID!, $key: String!) { createInvoice(input: { customerId: $c, currency: "KES", description: "Setup", lines: [{ description: "Setup fee", unitAmount: 5000 }], collect: SEND, idempotencyKey: $key }) { number kind } }',
    variables: (w) => ({ c: w.ownCustomerId, key: randomUUID() }),
    expect: { ...appCustomerOwners, app: 'NOT_FOUND', customerUser: 'FORBIDDEN', hosted: 'FORBIDDEN' },
  },
  {
    name: 'paybillPayments',
    query:
      '{ paybillPayments(filter: { status: UNMATCHED }, first: 5) { edges { node { id transId amount { amount } } } } }',
    variables: () => ({}),
    expect: adminOnly,
  },
  {
    name: 'assignPaybillPayment',
    query:
      'mutation ($p: ID!, $i: ID!) { assignPaybillPayment(input: { paybillPaymentId: $p, invoiceId: $i }) { status appliedToInvoices { amount } allocations { amount { amount } invoice { id } } customer { id } } }',
    variables: async (w) => ({ p: await w.freshUnmatchedPaybillPaymentId(), i: await w.freshOpenInvoiceId() }),
    expect: adminOnly,
  },
  {
    name: 'requestStandingOrder',
    query:
      'mutation ($id: ID!) { requestStandingOrder(input: { subscriptionId: $id }) { id status frequency amount { amount } } }',
    variables: async (w) => ({ id: await w.freshMpesaSubscriptionId() }),
    expect: appCustomerOwners,
  },
  {
    name: 'recordOfflinePayment',
    query:
      'mutation ($id: ID!, $ref: String!, $at: DateTimeISO!) { recordOfflinePayment(input: { invoiceId: $id, amount: 100, currency: "KES", method: BANK_TRANSFER, reference: $ref, receivedAt: $at }) { id appliedToInvoice { amount } } }',
    variables: async (w) => ({
      id: await w.freshOpenInvoiceId(),
      ref: `REF-${Math.random().toString(36).slice(2)}`,
      at: new Date().toISOString(),
    }),
    expect: adminOnly,
  },
];

describe('authorization matrix', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  let api: RunningApi;
  const headers = {} as Record<CallerName, Headers>;
  const world = {} as World;

  beforeAll(async () => {
    [env, orm] = await Promise.all([devServerEnvironment(), testOrm()]);
    // Every cell is a request from one address: more than the default per-minute budget.
    api = await startApi(orm, {
      temporal: env.client,
      taskQueue: `authz-${randomUUID()}`,
      env: { RATE_LIMIT_PER_MINUTE: '10000' },
    });
    headers.anonymous = {};
    headers.admin = await adminHeaders(api, orm);
    const app = await apiClientHeaders(api, headers.admin, ALL_CLIENT_SCOPES);
    headers.app = app.headers;
    headers.appReadPlans = (await apiClientHeaders(api, headers.admin, ['read:plans'])).headers;
    headers.otherApp = (await apiClientHeaders(api, headers.admin, ALL_CLIENT_SCOPES)).headers;

    const email = uniqueEmail('self');
    const password = 'acacia-tree-at-noon-9';
    await api.graphql('mutation ($i: RegisterInput!) { register(input: $i) { id } }', {
      i: { email, password, name: 'Self Service' },
    });
    const login = await api.graphql<{ login: { accessToken: string; user: { customer: { id: string } } } }>(
      'mutation ($i: LoginInput!) { login(input: $i) { accessToken user { customer { id } } } }',
      { i: { email, password } },
    );
    headers.customerUser = { authorization: `Bearer ${login.data!.login.accessToken}` };

    const product = await aProduct(orm.em);
    const plan = await aPlan(orm.em, { productId: product.id, trialDays: 0 });
    const externalId = `ext-${randomUUID()}`;
    const customer = await api.graphql<{ createCustomer: { id: string } }>(
      'mutation ($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }',
      { i: { email: uniqueEmail('app'), name: 'App Customer', externalId } },
      headers.app,
    );
    const appCustomerId = customer.data!.createCustomer.id;
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: appCustomerId,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: new Date(),
    });
    await em.flush();
    const other = em.create(Subscription, {
      customer: appCustomerId,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: new Date(),
    });
    await em.flush();
    const invoice = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    const credited = em.create(Subscription, {
      customer: appCustomerId,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: new Date(),
    });
    await em.flush();
    const creditedInvoice = await issuePeriodInvoice(orm.em, { subscriptionId: credited.id, periodIndex: 0 });
    const appCreditNoteId = (
      await issueCreditNote(orm.em, adminCaller, noWorkflow, {
        invoiceId: creditedInvoice.invoiceId,
        reason: 'OTHER',
        lines: [{ description: 'Goodwill', amount: 100 }],
        idempotencyKey: randomUUID(),
      })
    ).creditNote.id;
    const own = em.create(Subscription, {
      customer: login.data!.login.user.customer.id,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: new Date(),
    });
    await em.flush();
    await issuePeriodInvoice(orm.em, { subscriptionId: own.id, periodIndex: 0 });
    // A hosted checkout for another of the app's customers, redeemed: the seventh caller.
    await api.graphql(
      'mutation ($id: ID!) { setApiClientReturnOrigins(input: { apiClientId: $id, origins: ["https://app.example.test"] }) { id } }',
      { id: app.apiClientId },
      headers.admin,
    );
    const hostedCustomer = await api.graphql<{ createCustomer: { id: string } }>(
      'mutation ($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }',
      { i: { email: uniqueEmail('hosted'), name: 'Hosted Customer' } },
      headers.app,
    );
    const hostedCustomerId = hostedCustomer.data!.createCustomer.id;
    const hostedSubscription = em.create(Subscription, {
      customer: hostedCustomerId,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: new Date(),
    });
    await em.flush();
    const hostedInvoice = await issuePeriodInvoice(orm.em, { subscriptionId: hostedSubscription.id, periodIndex: 0 });
    const freshHostedToken = async () => {
      const link = await api.graphql<{ createCheckoutSession: { url: string } }>(
        `mutation ($c: ID!, $p: ID!) {
          createCheckoutSession(input: { customerId: $c, planId: $p, successUrl: "https://app.example.test/ok", cancelUrl: "https://app.example.test/no" }) { url }
        }`,
        { c: hostedCustomerId, p: plan.id },
        headers.app,
      );
      return link.data!.createCheckoutSession.url.split('/hosted/')[1]!;
    };
    const redeemed = await api.graphql<{ redeemHostedSession: { accessToken: string } }>(
      'mutation ($t: String!) { redeemHostedSession(token: $t) { accessToken } }',
      { t: await freshHostedToken() },
    );
    headers.hosted = { authorization: `Bearer ${redeemed.data!.redeemHostedSession.accessToken}` };

    const coupon = await api.graphql<{ createCoupon: { code: string } }>(
      'mutation { createCoupon(input: { code: "' +
        `AUTHZ${randomUUID().slice(0, 6).toUpperCase()}` +
        '", name: "Ten", percentOffBasisPoints: 1000, duration: ONCE }) { code } }',
      {},
      headers.admin,
    );

    const createEndpoint = async () => {
      const created = await api.graphql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hooks", eventTypes: ["*"] }) { endpoint { id } } }',
        {},
        headers.app,
      );
      return created.data!.createWebhookEndpoint.endpoint.id;
    };
    const appEndpointId = await createEndpoint();
    const [appEvent] = await orm.em
      .fork()
      .execute<{ id: string }[]>('select id from events where customer_id = ? order by seq limit 1', [appCustomerId]);

    const freshAppPaymentId = async () =>
      (
        await aPaidPayment(orm, {
          provider: 'MPESA',
          amount: 10_000,
          currency: 'KES',
          receiptNumber: 'NLJ7RT61SV',
          customerId: appCustomerId,
        })
      ).id;
    // Refunded without a workflow (this world runs no worker): only who may read it matters here.
    const appRefund = await requestRefund(
      { em: orm.em, workflows: { start: async () => undefined } },
      { kind: 'user', userId: randomUUID(), role: 'ADMIN', customerId: null },
      { paymentId: await freshAppPaymentId(), reason: 'authz', idempotencyKey: `authz-${randomUUID()}` },
    );

    Object.assign(world, {
      appRefundId: appRefund.id,
      freshAppPaymentId,
      appEndpointId,
      appEventId: appEvent!.id,
      freshAppEndpointId: createEndpoint,
      productId: product.id,
      productCode: product.code,
      planId: plan.id,
      couponCode: coupon.data!.createCoupon.code,
      appCustomerId,
      appCustomerExternalId: externalId,
      appSubscriptionId: subscription.id,
      appInvoiceId: invoice.invoiceId,
      appCreditNoteId,
      appOtherSubscriptionId: other.id,
      ownCustomerId: login.data!.login.user.customer.id,
      ownSubscriptionId: own.id,
      hostedCustomerId,
      hostedSubscriptionId: hostedSubscription.id,
      hostedInvoiceId: hostedInvoice.invoiceId,
      freshHostedToken,
      appId: app.apiClientId,
      throwawayKeyId: async () => {
        const key = await api.graphql<{ createApiKey: { apiKey: { id: string } } }>(
          'mutation ($id: ID!) { createApiKey(apiClientId: $id, name: "throwaway") { apiKey { id } } }',
          { id: app.apiClientId },
          headers.admin,
        );
        return key.data!.createApiKey.apiKey.id;
      },
      freshPlanId: async () => (await aPlan(orm.em, { productId: product.id })).id,
      freshCouponId: async () => {
        const made = await api.graphql<{ createCoupon: { id: string } }>(
          'mutation ($c: String!) { createCoupon(input: { code: $c, name: "X", percentOffBasisPoints: 500, duration: ONCE }) { id } }',
          { c: `X${randomUUID().slice(0, 8).toUpperCase()}` },
          headers.admin,
        );
        return made.data!.createCoupon.id;
      },
      freshUnmatchedPaybillPaymentId: async () => {
        const transId = `AUTH${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
        const body = {
          TransID: transId,
          TransTime: '20261204100000',
          TransAmount: '10.00',
          BusinessShortCode: '174379',
        };
        const verdict = await recordPaybillConfirmation(
          orm.em,
          { pathSecret: 'matrix-secret', rawBody: JSON.stringify({ ...body, BillRefNumber: 'nobody' }), headers: {} },
          { callbackSecret: 'matrix-secret', shortCode: '174379' },
        );
        if (verdict.status !== 'ACCEPTED') throw new Error(`paybill payment not recorded: ${verdict.status}`);
        return verdict.payment.id;
      },
      freshMpesaSubscriptionId: async () => {
        const fork = orm.em.fork();
        const fresh = fork.create(Subscription, {
          customer: appCustomerId,
          plan: plan.id,
          status: 'ACTIVE',
          billingAnchor: new Date(),
          currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000),
          paymentProvider: 'MPESA',
          paymentMethodLabel: 'M-Pesa •••• 0111',
        });
        fresh.paymentMethodSealed = sealMethod(
          testCipher(),
          { kind: 'mpesa', phone: '+254712000111' },
          sealingContext.subscription(fresh.id),
        );
        await fork.flush();
        return fresh.id;
      },
      freshOpenInvoiceId: async () => {
        const fork = orm.em.fork();
        const fresh = fork.create(Subscription, {
          customer: appCustomerId,
          plan: plan.id,
          status: 'INCOMPLETE',
          billingAnchor: new Date(),
        });
        await fork.flush();
        return (await issuePeriodInvoice(orm.em, { subscriptionId: fresh.id, periodIndex: 0 })).invoiceId;
      },
      freshAppCustomerId: async () => {
        const fresh = orm.em
          .fork()
          .create(Customer, { email: uniqueEmail('fresh'), name: 'Fresh', apiClient: app.apiClientId });
        await orm.em.fork().persist(fresh).flush();
        return fresh.id;
      },
    } satisfies World);
  });

  afterAll(async () => {
    await api?.stop();
    await env?.teardown();
    await orm?.close();
  });

  describe.each(operations)('$name', (operation) => {
    it.each(CALLERS)('as %s', async (caller) => {
      const result = await api.graphql(operation.query, await operation.variables(world), headers[caller]);
      const expected = operation.expect[caller];
      if (expected === 'ok') {
        expect(result.errors).toBeUndefined();
        operation.check?.(result.data!, caller, world);
      } else {
        expect(result.errors?.[0]?.extensions?.code).toBe(expected);
      }
    });
  });

  it('covers every query and mutation of the schema', async () => {
    const schema = await api.graphql<{
      __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } };
    }>('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
    const covered = new Set(operations.map((op) => op.name.split(' ')[0]));
    // Sign-up, sign-in and token redemption are public by design; test/integration/graphql/accounts.test.ts covers them.
    const publicByDesign = new Set([
      'register',
      'login',
      'refreshToken',
      'logout',
      'verifyEmail',
      'requestPasswordReset',
      'resetPassword',
    ]);
    const all = [...schema.data!.__schema.queryType.fields, ...schema.data!.__schema.mutationType.fields].map(
      (f) => f.name,
    );
    expect(all.filter((name) => !covered.has(name) && !publicByDesign.has(name))).toEqual([]);
  });
});
