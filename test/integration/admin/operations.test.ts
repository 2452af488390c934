// The operators' API against real Postgres and a real Temporal dev server: deliveries as stored, refused first;
// notices that did not go out, and resending one; payments pending too long, and asking the provider through the
// workflow; live subscriptions without a running workflow, and starting the one that never ran.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { AuditEvent, Customer, Payment, Subscription } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { until } from '../../support/eventually.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';
import { devServerEnvironment } from '../../support/temporal.js';

describe('operations API', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  let api: RunningApi;
  let admin: Headers;
  let app: Headers;
  let appId: string;
  let customerId: string;
  const live: Subscription[] = [];
  let ended: Subscription;
  let pendingPayment: string;
  let freshPayment: string;
  // A window of received_at no other suite writes in: this suite's deliveries alone.
  const window = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e6) * 60_000);
  const recipient = uniqueEmail('notices');

  const gql = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, as = admin) =>
    api.graphql<T>(query, variables, as);

  beforeAll(async () => {
    [env, orm] = await Promise.all([devServerEnvironment(), testOrm()]);
    api = await startApi(orm, { temporal: env.client, taskQueue: `ops-${randomUUID()}` });
    admin = await adminHeaders(api, orm);
    const client = await apiClientHeaders(api, admin, ['read:customers']);
    app = client.headers;
    appId = client.apiClientId;
    const plan = await aPlan(orm.em, { trialDays: 0 });
    const em = orm.em.fork();
    const customer = em.create(Customer, { email: recipient, name: 'Ops', apiClient: appId, externalId: randomUUID() });
    for (const status of ['ACTIVE', 'PAST_DUE'] as const) {
      live.push(em.create(Subscription, { customer, plan: plan.id, status, billingAnchor: new Date() }));
    }
    ended = em.create(Subscription, { customer, plan: plan.id, status: 'CANCELED', billingAnchor: new Date() });
    await em.flush();
    customerId = customer.id;
    const invoice = await issuePeriodInvoice(orm.em, { subscriptionId: live[0]!.id, periodIndex: 0 });
    const sql = orm.em.fork();
    await sql.execute(`update subscriptions set status = 'ACTIVE' where id = ?`, [live[0]!.id]);
    const pay = orm.em.fork();
    const payment = (attempt: number, createdAt: Date) =>
      pay.create(Payment, {
        invoice: invoice.invoiceId,
        customer,
        provider: 'MPESA',
        status: 'PENDING',
        attempt,
        amount: invoice.total,
        currency: invoice.currency,
        idempotencyKey: `ops-${randomUUID()}`,
        createdAt,
      });
    // Older than anything other suites leave pending in the shared database: the list is oldest first, 200 at most.
    pendingPayment = payment(1, new Date('2001-01-01T00:00:00Z')).id;
    freshPayment = payment(2, new Date()).id;
    await pay.flush();

    const at = (minutes: number) => new Date(window.getTime() + minutes * 60_000);
    await sql.execute(
      `insert into webhook_events (id, provider, event_key, status, reason, headers, raw_body, received_at, payment_id)
       values (gen_random_uuid(), 'MPESA', ?, 'ACCEPTED', null, '{"content-type":"application/json"}', '{"Body":1}', ?, ?),
              (gen_random_uuid(), 'PAYPAL', null, 'REJECTED', 'signature does not match', '{}', '{"forged":true}', ?, null),
              (gen_random_uuid(), 'MPESA', null, 'REJECTED', 'wrong callback path', '{}', 'not json', ?, null),
              (gen_random_uuid(), 'MPESA', ?, 'DUPLICATE', null, '{}', '{"Body":1}', ?, ?)`,
      [`k-${randomUUID()}`, at(3), pendingPayment, at(1), at(2), `k-${randomUUID()}`, at(4), pendingPayment],
    );
    await sql.execute(
      `insert into outbox_messages (id, dedupe_key, kind, recipient, payload, subscription_id, created_at, sent_at, attempts, failed_at, last_error, next_attempt_at)
       values (gen_random_uuid(), ?, 'payment_failed', ?, '{}', ?, now() - interval '3 minutes', null, 1, now(), '550 no such mailbox', null),
              (gen_random_uuid(), ?, 'invoice_issued', ?, '{}', ?, now() - interval '2 minutes', null, 2, null, 'timeout', now() + interval '1 hour'),
              (gen_random_uuid(), ?, 'payment_receipt', ?, '{}', ?, now() - interval '1 minute', now(), 1, null, null, null)`,
      [
        `ops-${randomUUID()}`,
        recipient,
        live[0]!.id,
        `ops-${randomUUID()}`,
        recipient,
        live[0]!.id,
        `ops-${randomUUID()}`,
        recipient,
        live[1]!.id,
      ],
    );
  });

  afterAll(async () => {
    await api?.stop();
    await orm?.close();
    await env?.teardown();
  });

  it('lists provider deliveries refused first, with raw body, headers and the payment they matched', async () => {
    const result = await gql<{
      providerDeliveries: { edges: { node: Record<string, unknown> }[] };
    }>(
      `query ($f: ProviderDeliveryFilter) { providerDeliveries(filter: $f) { edges { node {
         provider status reason rawBody headers receivedAt payment { id status } } } } }`,
      { f: { from: window.toISOString(), to: new Date(window.getTime() + 10 * 60_000).toISOString() } },
    );
    expect(result.errors).toBeUndefined();
    const rows = result.data!.providerDeliveries.edges.map((e) => e.node);
    expect(rows.map((row) => [row.status, row.provider])).toEqual([
      ['REJECTED', 'MPESA'],
      ['REJECTED', 'PAYPAL'],
      ['DUPLICATE', 'MPESA'],
      ['ACCEPTED', 'MPESA'],
    ]);
    expect(rows[0]).toMatchObject({ reason: 'wrong callback path', rawBody: 'not json', payment: null });
    expect(rows[3]).toMatchObject({
      headers: { 'content-type': 'application/json' },
      payment: { id: pendingPayment, status: 'PENDING' },
    });
    const byPayment = await gql<{ payments: { edges: { node: { deliveries: { status: string }[] } }[] } }>(
      `query ($id: ID!) { payments(filter: { invoiceId: $id }, first: 5, sort: CREATED_AT, direction: ASC) {
         edges { node { deliveries { status } } } } }`,
      { id: (await orm.em.fork().findOneOrFail(Payment, { id: pendingPayment })).invoice.id },
    );
    expect(byPayment.data!.payments.edges[0]!.node.deliveries.map((d) => d.status)).toEqual(['ACCEPTED', 'DUPLICATE']);
  });

  it('lists notices that did not go out, and resends one with its attempts starting over', async () => {
    type Notices = { failedNotices: { edges: { node: { id: string; kind: string; lastError: string } }[] } };
    const query = `query ($f: NoticeFilter) { failedNotices(filter: $f) { edges { node { id kind lastError failedAt attempts } } } }`;
    const all = await gql<Notices>(query, { f: { recipient } });
    expect(all.data!.failedNotices.edges.map((e) => e.node.kind)).toEqual(['invoice_issued', 'payment_failed']);
    const failed = await gql<Notices>(query, { f: { recipient, trouble: 'FAILED' } });
    const notice = failed.data!.failedNotices.edges[0]!.node;
    expect(notice).toMatchObject({ kind: 'payment_failed', lastError: '550 no such mailbox' });

    const resent = await gql<{ resendNotice: Record<string, unknown> }>(
      'mutation ($id: ID!) { resendNotice(id: $id) { id failedAt attempts nextAttemptAt sentAt } }',
      { id: notice.id },
    );
    expect(resent.errors).toBeUndefined();
    expect(resent.data!.resendNotice).toMatchObject({ failedAt: null, attempts: 0, nextAttemptAt: null, sentAt: null });
    const audit = await orm.em.fork().findOne(AuditEvent, { entity: 'Notice', entityId: notice.id });
    expect(audit?.action).toBe('notice.resent');

    const customer = await gql<{ customer: { notices: { kind: string; sentAt: string | null }[] } }>(
      'query ($id: ID!) { customer(id: $id) { notices { kind sentAt } } }',
      { id: customerId },
    );
    // Issuing the invoice queued its own invoice_issued notice too.
    expect(customer.data!.customer.notices.map((n) => n.kind).sort()).toEqual([
      'invoice_issued',
      'invoice_issued',
      'payment_failed',
      'payment_receipt',
    ]);
    const sent = customer.data!.customer.notices.find((n) => n.kind === 'payment_receipt')!;
    expect(sent.sentAt).not.toBeNull();
    const asApp = await gql('query ($id: ID!) { customer(id: $id) { notices { kind } } }', { id: customerId }, app);
    expect(asApp.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('finds payments pending too long, and asks the provider through the workflow once one runs', async () => {
    const stuck = await gql<{ stuckPayments: { id: string }[] }>(
      '{ stuckPayments(olderThanMinutes: 60, first: 200) { id status invoice { number } } }',
    );
    const ids = stuck.data!.stuckPayments.map((p) => p.id);
    expect(ids).toContain(pendingPayment);
    expect(ids).not.toContain(freshPayment);

    const check = 'mutation ($id: ID!) { checkPaymentNow(paymentId: $id) { id status } }';
    const noWorkflow = await gql(check, { id: pendingPayment });
    expect(noWorkflow.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(noWorkflow.errors?.[0]?.message).toContain('not running');

    const started = await gql('mutation ($id: ID!) { startSubscriptionWorkflow(subscriptionId: $id) { id } }', {
      id: live[0]!.id,
    });
    expect(started.errors).toBeUndefined();
    const asked = await gql(check, { id: pendingPayment });
    expect(asked.errors).toBeUndefined();
    // The signal is in the workflow's history (no worker runs on this task queue: nothing else happens).
    const history = await env.client.workflow.getHandle(`subscription-${live[0]!.id}`).fetchHistory();
    const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes!.signalName)).toEqual(['paymentNotification']);
  });

  it('finds live subscriptions whose workflow is not running, starts one that never ran, refuses one that closed', async () => {
    type Check = {
      subscriptionsWithoutWorkflow: {
        checked: number;
        notRunning: { subscription: { id: string }; lastRun: string }[];
      };
    };
    const query = `query ($app: ID) { subscriptionsWithoutWorkflow(apiClientId: $app, first: 10) {
      checked hasNextPage notRunning { subscription { id status } lastRun } } }`;
    // live[0] got its workflow in the previous test; live[1] never had one; the canceled one is not live.
    const first = await until(async () => {
      const result = await gql<Check>(query, { app: appId });
      expect(result.errors).toBeUndefined();
      expect(result.data!.subscriptionsWithoutWorkflow.notRunning).toEqual([
        { subscription: { id: live[1]!.id, status: 'PAST_DUE' }, lastRun: null },
      ]);
      return result.data!.subscriptionsWithoutWorkflow;
    });
    expect(first.checked).toBe(2);

    await env.client.workflow.getHandle(`subscription-${live[0]!.id}`).terminate('test: a workflow that closed');
    await until(async () => {
      const result = await gql<Check>(query, { app: appId });
      // Oldest first, then by id: two subscriptions created in the same millisecond come in id order.
      const seen = result.data!.subscriptionsWithoutWorkflow.notRunning.map((r) => [r.subscription.id, r.lastRun]);
      expect(seen).toHaveLength(2);
      expect(seen).toEqual(
        expect.arrayContaining([
          [live[0]!.id, 'TERMINATED'],
          [live[1]!.id, null],
        ]),
      );
    });
    const start = 'mutation ($id: ID!) { startSubscriptionWorkflow(subscriptionId: $id) { id } }';
    const closed = await gql(start, { id: live[0]!.id });
    expect(closed.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(closed.errors?.[0]?.message).toContain('temporal workflow reset');
    const notLive = await gql(start, { id: ended.id });
    expect(notLive.errors?.[0]?.message).toContain('has ended');
  });
});
