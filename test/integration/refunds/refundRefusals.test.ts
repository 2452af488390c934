// Bad refund requests are refused with an error naming the field and the rule, and write nothing: no refund row,
// no reservation on the payment, no workflow started. Through the use case on the real database; the last cases
// through GraphQL with real API keys (another app's payment, a key without write:refunds).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { Payment, Refund } from '../../../src/entities/index.js';
import type { Caller } from '../../../src/kernel/caller.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../src/kernel/errors.js';
import { requestRefund, type RequestRefundInput } from '../../../src/refunds/requestRefund.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { admin, uniqueEmail } from '../../support/fixtures.js';
import { aPaidPayment } from '../../support/refundFixtures.js';

describe('refusing bad refund requests', () => {
  let orm: Orm;
  let api: RunningApi;
  let adminH: Headers;
  const started: string[] = [];
  const workflows = { start: async (id: string) => void started.push(id) };

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm);
    adminH = await adminHeaders(api, orm);
  });
  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  const request = (caller: Caller, input: Partial<RequestRefundInput> & { paymentId: string }) =>
    requestRefund({ em: orm.em, workflows }, caller, {
      reason: 'customer asked',
      idempotencyKey: `refusal-${randomUUID()}`,
      ...input,
    });

  /** The request fails with `error`, and the payment is as it was: no refund, nothing reserved, no workflow. */
  async function refusedUntouched(paymentId: string, attempt: () => Promise<unknown>, error: unknown) {
    const before = started.length;
    await expect(attempt()).rejects.toThrow(error as Error);
    expect(await orm.em.fork().count(Refund, { payment: paymentId })).toBe(0);
    expect((await orm.em.fork().findOneOrFail(Payment, { id: paymentId })).amountRefunded).toBe(0);
    expect(started.length).toBe(before);
  }

  const paid = (overrides: Partial<Parameters<typeof aPaidPayment>[1]> = {}) =>
    aPaidPayment(orm, {
      provider: 'MPESA',
      amount: 150_000,
      currency: 'KES',
      receiptNumber: 'NLJ7RT61SV',
      ...overrides,
    });

  it('refuses more than was paid', async () => {
    const payment = await paid();
    await refusedUntouched(
      payment.id,
      () => request(admin, { paymentId: payment.id, amount: 150_100 }),
      new ValidationError({
        'input.amount': 'must be at most what is left to refund (150000 minor units of 150000 paid)',
      }),
    );
  });

  it('refuses a failed payment and a pending one', async () => {
    for (const status of ['FAILED', 'PENDING'] as const) {
      const payment = await paid({ status });
      await refusedUntouched(
        payment.id,
        () => request(admin, { paymentId: payment.id }),
        new ValidationError({ 'input.paymentId': `is ${status}: only a SUCCEEDED payment can be refunded` }),
      );
    }
  });

  it('refuses zero, negative and fractional amounts', async () => {
    const payment = await paid();
    for (const [amount, rule] of [
      [0, 'must be more than zero'],
      [-100, 'must be more than zero'],
      [10.5, 'must be a whole number of minor units (cents)'],
    ] as const) {
      await refusedUntouched(
        payment.id,
        () => request(admin, { paymentId: payment.id, amount }),
        new ValidationError({ 'input.amount': rule }),
      );
    }
  });

  it('refuses cents on M-Pesa, which moves whole shillings', async () => {
    const payment = await paid();
    await refusedUntouched(
      payment.id,
      () => request(admin, { paymentId: payment.id, amount: 1_050 }),
      new ValidationError({ 'input.amount': 'must be whole shillings (a multiple of 100) for an M-Pesa payment' }),
    );
  });

  it("refuses a currency other than the payment's", async () => {
    const payment = await paid();
    await refusedUntouched(
      payment.id,
      () => request(admin, { paymentId: payment.id, amount: 1_000, currency: 'USD' }),
      new ValidationError({ 'input.currency': "must be the payment's currency (KES)" }),
    );
  });

  it('refuses a customer, and a caller without write:refunds, before reading anything', async () => {
    const payment = await paid();
    const customer: Caller = { kind: 'user', userId: randomUUID(), role: 'CUSTOMER', customerId: payment.customer.id };
    await refusedUntouched(
      payment.id,
      () => request(customer, { paymentId: payment.id }),
      new ForbiddenError('this needs the write:refunds scope'),
    );
    const app: Caller = {
      kind: 'apiClient',
      apiClientId: randomUUID(),
      apiKeyId: randomUUID(),
      scopes: ['read:invoices'],
    };
    await refusedUntouched(
      payment.id,
      () => request(app, { paymentId: payment.id }),
      new ForbiddenError('this needs the write:refunds scope'),
    );
  });

  it("answers NOT_FOUND for another app's payment and FORBIDDEN without the scope (GraphQL)", async () => {
    const owner = await apiClientHeaders(api, adminH, ALL_CLIENT_SCOPES);
    const other = await apiClientHeaders(api, adminH, ALL_CLIENT_SCOPES);
    const readOnly = await apiClientHeaders(api, adminH, ['read:invoices']);
    const created = await api.graphql<{ createCustomer: { id: string } }>(
      'mutation ($e: String!) { createCustomer(input: { email: $e, name: "Owner" }) { id } }',
      { e: uniqueEmail('refund-owner') },
      owner.headers,
    );
    const payment = await paid({ customerId: created.data!.createCustomer.id });
    const mutation =
      'mutation ($id: ID!, $k: String!) { refundPayment(input: { paymentId: $id, reason: "x", idempotencyKey: $k }) { id } }';
    const asOther = await api.graphql(mutation, { id: payment.id, k: `refusal-${randomUUID()}` }, other.headers);
    expect(asOther.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Payment', id: payment.id });
    const asReader = await api.graphql(mutation, { id: payment.id, k: `refusal-${randomUUID()}` }, readOnly.headers);
    expect(asReader.errors?.[0]).toMatchObject({
      message: 'this needs the write:refunds scope',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await orm.em.fork().count(Refund, { payment: payment.id })).toBe(0);
    await expect(request(admin, { paymentId: randomUUID() })).rejects.toThrow(NotFoundError);
  });

  it('refuses part of an M-Pesa payment with no phone to send it to, and one with neither receipt nor phone', async () => {
    const payment = await paid();
    await refusedUntouched(
      payment.id,
      () => request(admin, { paymentId: payment.id, amount: 50_000 }),
      new ValidationError({
        'input.paymentId': 'has no phone on record to send part of it back to: refund the whole payment (a reversal)',
      }),
    );
    const unreceipted = await paid({ receiptNumber: null });
    await refusedUntouched(
      unreceipted.id,
      () => request(admin, { paymentId: unreceipted.id }),
      new ValidationError({
        'input.paymentId':
          'has no M-Pesa receipt (its callback never came) and no phone on record: it cannot be refunded through M-Pesa',
      }),
    );
    const withPhone = await paid({ phone: '+254712000111' });
    await refusedUntouched(
      withPhone.id,
      () => request(admin, { paymentId: withPhone.id, amount: 500 }),
      new ValidationError({ 'input.amount': 'must be at least KES 10 for an M-Pesa refund sent to the phone' }),
    );
  });

  it('serializes concurrent requests on the payment: never more refunded than paid', async () => {
    const payment = await paid({
      provider: 'PAYPAL',
      currency: 'USD',
      receiptNumber: null,
      providerReference: 'CAPTURE-C',
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => request(admin, { paymentId: payment.id, amount: 40_000 })),
    );
    const made = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(made).toHaveLength(3);
    expect(refused.map((o) => (o.reason as ValidationError).fields)).toEqual([
      { 'input.amount': 'must be at most what is left to refund (30000 minor units of 150000 paid)' },
      { 'input.amount': 'must be at most what is left to refund (30000 minor units of 150000 paid)' },
      { 'input.amount': 'must be at most what is left to refund (30000 minor units of 150000 paid)' },
    ]);
    expect((await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).amountRefunded).toBe(120_000);
    expect(await orm.em.fork().count(Refund, { payment: payment.id })).toBe(3);
  });

  it('holds refunded <= paid in the database itself, whatever the code asks', async () => {
    const payment = await paid({
      provider: 'PAYPAL',
      currency: 'USD',
      receiptNumber: null,
      providerReference: 'CAPTURE-X',
    });
    const first = await request(admin, { paymentId: payment.id, amount: 100_000 });
    expect(first.status).toBe('PENDING');
    // Past the use case's own check: the reservation trigger and the payment's CHECK refuse it.
    const em = orm.em.fork();
    await expect(
      em.getConnection().execute(
        `insert into refunds (id, payment_id, invoice_id, customer_id, provider, amount, currency, status, reason,
           idempotency_key, requested_by, created_at, updated_at)
         select gen_random_uuid(), id, invoice_id, customer_id, provider, 60000, currency, 'PENDING', 'sql',
           gen_random_uuid()::text, 'OPERATOR', now(), now() from payments where id = ?`,
        [payment.id],
      ),
    ).rejects.toThrow(/payments_amount_refunded_check/);
    // A failed refund gives its amount back.
    await em.getConnection().execute(`update refunds set status = 'FAILED' where id = ?`, [first.id]);
    expect((await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).amountRefunded).toBe(0);
  });
});
