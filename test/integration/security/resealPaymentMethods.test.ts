// Key rotation against the shared test database. Other suites' rows are there too (sealed with the development
// key, which no keyring here holds), so every assertion on values is about this file's own rows; the counts can be
// exact only for rows a run re-seals, since nothing else in the database opens with this file's random keys.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Payment, Subscription } from '../../../src/entities/index.js';
import { paymentIdempotencyKey } from '../../../src/payments/chargeInvoice.js';
import { phoneDigestOf } from '../../../src/payments/mpesa/phoneDigest.js';
import {
  labelOf,
  openMethod,
  providerOf,
  sealingContext,
  sealMethod,
  type StoredPaymentMethod,
} from '../../../src/payments/paymentMethods.js';
import { FieldCipher, type EncryptionKey } from '../../../src/security/fieldCipher.js';
import { resealPaymentMethods, type SealedTable } from '../../../src/security/resealPaymentMethods.js';
import { TEST_DATABASE_URL, testCipher } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';

/** Ids unique to this run, so values sealed by earlier runs (or other suites) never open with these keys. */
function aKey(name: string): EncryptionKey {
  return { id: `${name}-${randomUUID().slice(0, 8)}`, key: randomBytes(32) };
}

const mpesa: StoredPaymentMethod = { kind: 'mpesa', phone: '+254712345678' };
const paypal: StoredPaymentMethod = { kind: 'paypal', vaultId: '8kk8451t' };

interface Pair {
  subscriptionId: string;
  paymentId: string;
  method: StoredPaymentMethod;
}

describe('resealPaymentMethods', () => {
  let orm: Orm;

  beforeAll(async () => {
    orm = await testOrm();
  });
  afterAll(async () => {
    await orm?.close();
  });

  /**
   * A subscription charged automatically and its first payment, both holding `method` sealed by `sealWith`
   * (or `sealed` verbatim, for values that are not what the cipher would write).
   */
  async function aSealedPair(
    method: StoredPaymentMethod,
    sealWith: FieldCipher,
    sealed?: { subscription: string; payment: string },
  ): Promise<Pair> {
    const currency = method.kind === 'mpesa' ? 'KES' : 'USD';
    const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, { currency, trialDays: 0 })]);
    const em = orm.em.fork();
    const anchor = new Date('2032-03-01T00:00:00Z');
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: anchor,
      paymentProvider: providerOf(method),
      paymentMethodLabel: labelOf(method),
    });
    subscription.paymentMethodSealed =
      sealed?.subscription ?? sealMethod(sealWith, method, sealingContext.subscription(subscription.id));
    await em.flush();

    const invoice = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    const payment = em.create(Payment, {
      invoice: invoice.invoiceId,
      customer: customer.id,
      provider: providerOf(method),
      status: 'PENDING',
      attempt: 1,
      amount: invoice.amountDue,
      currency: invoice.currency,
      idempotencyKey: paymentIdempotencyKey(invoice.invoiceId, 1),
    });
    payment.paymentMethodSealed = sealed?.payment ?? sealMethod(sealWith, method, sealingContext.payment(payment.id));
    payment.phoneDigest = phoneDigestOf(sealWith, method);
    await em.flush();
    return { subscriptionId: subscription.id, paymentId: payment.id, method };
  }

  /** The stored values, straight from the database. */
  async function storedOf(pair: Pair): Promise<{ subscription: string; payment: string }> {
    const em = orm.em.fork();
    const subscription = await em.findOneOrFail(
      Subscription,
      { id: pair.subscriptionId },
      { populate: ['paymentMethodSealed'] },
    );
    const payment = await em.findOneOrFail(Payment, { id: pair.paymentId }, { populate: ['paymentMethodSealed'] });
    return { subscription: subscription.paymentMethodSealed!, payment: payment.paymentMethodSealed! };
  }

  async function expectOpens(pair: Pair, cipher: FieldCipher, keyId: string): Promise<void> {
    const stored = await storedOf(pair);
    expect(stored.subscription.split('.')[1]).toBe(keyId);
    expect(stored.payment.split('.')[1]).toBe(keyId);
    expect(openMethod(cipher, stored.subscription, sealingContext.subscription(pair.subscriptionId))).toEqual(
      pair.method,
    );
    expect(openMethod(cipher, stored.payment, sealingContext.payment(pair.paymentId))).toEqual(pair.method);
  }

  it("moves an M-Pesa payment's phone digest to the new key, so it is found once the old key is gone", async () => {
    const oldKey = aKey('old');
    const newKey = aKey('new');
    const pair = await aSealedPair(mpesa, new FieldCipher([oldKey]));
    await resealPaymentMethods(orm.em, new FieldCipher([newKey, oldKey]));
    const payment = await orm.em.fork().findOneOrFail(Payment, { id: pair.paymentId });
    const [digest] = new FieldCipher([newKey]).digests(mpesa.phone, 'mpesa-phone');
    expect(payment.phoneDigest).toBe(digest);
  });

  it('re-seals values of the old key with the new one, keeps the plaintext, and does nothing the second time', async () => {
    const oldKey = aKey('old');
    const newKey = aKey('new');
    const before = new FieldCipher([oldKey]);
    const pairs = [await aSealedPair(mpesa, before), await aSealedPair(paypal, before)];
    // Values no keyring below opens: a key since removed, the development key, and a damaged value.
    const removed = new FieldCipher([aKey('removed')]);
    const garbled = { subscription: `v1.${oldKey.id}.AAAA.AAAA.AAAA`, payment: `v1.${oldKey.id}.not.sealed.x` };
    const unreadable = [
      await aSealedPair(mpesa, removed),
      await aSealedPair(paypal, testCipher()),
      await aSealedPair(mpesa, before, garbled),
    ];
    const unreadableBefore = await Promise.all(unreadable.map(storedOf));

    const rotated = new FieldCipher([newKey, oldKey]);
    const told: { table: SealedTable; id: string; reason: string }[] = [];
    const first = await resealPaymentMethods(orm.em, rotated, {
      batchSize: 7,
      onUnreadable: (table, id, reason) => told.push({ table, id, reason }),
    });

    // Nothing else in the database opens with these keys, so exactly this file's values were re-sealed.
    expect(first.subscriptions.resealed).toBe(pairs.length);
    expect(first.payments.resealed).toBe(pairs.length);
    expect(first.subscriptions.scanned).toBeGreaterThanOrEqual(pairs.length + unreadable.length);
    expect(first.payments.scanned).toBeGreaterThanOrEqual(pairs.length + unreadable.length);
    expect(first.subscriptions.unreadable).toBeGreaterThanOrEqual(unreadable.length);
    expect(first.payments.unreadable).toBeGreaterThanOrEqual(unreadable.length);

    const afterOnly = new FieldCipher([newKey]);
    for (const pair of pairs) await expectOpens(pair, afterOnly, newKey.id);
    expect(await Promise.all(unreadable.map(storedOf))).toEqual(unreadableBefore);
    const mine = (table: SealedTable, id: string) => told.find((entry) => entry.table === table && entry.id === id);
    expect(mine('subscriptions', unreadable[0]!.subscriptionId)?.reason).toMatch(/^sealed with key "removed-\w+"/);
    expect(mine('payments', unreadable[1]!.paymentId)?.reason).toBe(
      'sealed with key "dev", which is not in the keyring',
    );
    for (const pair of unreadable) {
      expect(mine('subscriptions', pair.subscriptionId)).toBeDefined();
      expect(mine('payments', pair.paymentId)).toBeDefined();
    }
    for (const { reason } of told) {
      for (const key of [oldKey, newKey]) expect(reason).not.toContain(key.key.toString('base64'));
    }

    const resealed = await Promise.all(pairs.map(storedOf));
    const second = await resealPaymentMethods(orm.em, rotated, { batchSize: 7 });
    expect(second.subscriptions.resealed).toBe(0);
    expect(second.payments.resealed).toBe(0);
    expect(second.subscriptions.unreadable).toBeGreaterThanOrEqual(unreadable.length);
    expect(await Promise.all(pairs.map(storedOf))).toEqual(resealed);
  });

  it('refuses a batch size that is not a whole number above 0', async () => {
    const cipher = new FieldCipher([aKey('any')]);
    for (const batchSize of [0, -1, 2.5, Number.NaN]) {
      await expect(resealPaymentMethods(orm.em, cipher, { batchSize })).rejects.toThrow(
        new RangeError('batchSize must be a whole number above 0'),
      );
    }
  });

  it('keeps what an interrupted run committed, and the next run finishes the rest', async () => {
    const oldKey = aKey('old');
    const newKey = aKey('new');
    const before = new FieldCipher([oldKey]);
    const pairs = [
      await aSealedPair(mpesa, before),
      await aSealedPair(paypal, before),
      await aSealedPair(mpesa, before),
    ];

    // Dies on the third seal, in the middle of a run: like a process killed between two batches.
    let seals = 0;
    class Interrupted extends FieldCipher {
      override seal(plaintext: string, context: string): string {
        if (++seals > 2) throw new Error('interrupted');
        return super.seal(plaintext, context);
      }
    }
    const rotated = new FieldCipher([newKey, oldKey]);
    await expect(resealPaymentMethods(orm.em, new Interrupted([newKey, oldKey]), { batchSize: 1 })).rejects.toThrow(
      'interrupted',
    );

    // Subscriptions go first: two of them committed, the batch of the third rolled back, no payment reached.
    const stored = await Promise.all(pairs.map(storedOf));
    const keyIds = stored.map((values) => values.subscription.split('.')[1]).sort();
    expect(keyIds).toEqual([newKey.id, newKey.id, oldKey.id].sort());
    expect(stored.every((values) => values.payment.split('.')[1] === oldKey.id)).toBe(true);
    for (const [i, pair] of pairs.entries()) {
      expect(openMethod(rotated, stored[i]!.subscription, sealingContext.subscription(pair.subscriptionId))).toEqual(
        pair.method,
      );
    }

    const rest = await resealPaymentMethods(orm.em, rotated);
    expect(rest.subscriptions.resealed).toBe(1);
    expect(rest.payments.resealed).toBe(pairs.length);
    for (const pair of pairs) await expectOpens(pair, new FieldCipher([newKey]), newKey.id);
  });

  it('waits for a concurrent change of a payment method and re-seals the new method, not the old one', async () => {
    const oldKey = aKey('old');
    const newKey = aKey('new');
    const before = new FieldCipher([oldKey]);
    const pair = await aSealedPair(mpesa, before);
    const changed: StoredPaymentMethod = { kind: 'mpesa', phone: '+254798765432' };

    // Another process (updatePaymentMethod, still on the old key) holds the row while the run reaches it.
    const writer = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await writer.connect();
    try {
      await writer.query('begin');
      const { rows } = await writer.query<{ pid: number }>('select pg_backend_pid() as pid');
      await writer.query('update subscriptions set payment_method_sealed = $1 where id = $2', [
        sealMethod(before, changed, sealingContext.subscription(pair.subscriptionId)),
        pair.subscriptionId,
      ]);
      const run = resealPaymentMethods(orm.em, new FieldCipher([newKey, oldKey]));
      await eventually('the run to wait for the row', async () => {
        const waiting = await orm.em
          .fork()
          .execute<{ pid: number }[]>('select pid from pg_stat_activity where ? = any(pg_blocking_pids(pid))', [
            rows[0]!.pid,
          ]);
        return waiting.length > 0 ? true : undefined;
      });
      await writer.query('commit');
      await run;
    } finally {
      await writer.end();
    }

    const stored = await storedOf(pair);
    const after = new FieldCipher([newKey]);
    expect(stored.subscription.split('.')[1]).toBe(newKey.id);
    expect(openMethod(after, stored.subscription, sealingContext.subscription(pair.subscriptionId))).toEqual(changed);
    expect(openMethod(after, stored.payment, sealingContext.payment(pair.paymentId))).toEqual(mpesa);
  });
});
