// A PAST_DUE subscription's customer pays the invoice being dunned by bank transfer, in two parts: the first leaves
// it OPEN and owing the rest, the second settles it (and pays more than was owed). The retries stop, the
// subscription is ACTIVE again, the overpayment is balance credit, and the next renewal spends it. Bad requests are
// refused naming the rule, and write nothing.
import { expect, it } from '@jest/globals';
import { voidInvoice } from '../../src/billing/requests/closeInvoice.js';
import { creditBalance } from '../../src/billing/changes/customerCredit.js';
import { Invoice, OfflinePayment, Payment } from '../../src/entities/index.js';
import type { Orm } from '../../src/db/orm.js';
import { recordOfflinePayment } from '../../src/payments/offline/recordOfflinePayment.js';
import { until } from '../support/eventually.js';
import { admin } from '../support/fixtures.js';
import { scenario } from '../support/lifecycleScenario.js';
import { invoicesOf, pastDueSubscription, statusOf } from '../support/pastDueSubscription.js';

const attemptsOf = async (orm: Orm, invoiceId: string) => orm.em.fork().count(Payment, { invoice: invoiceId });

it('a bank transfer in two parts settles a past-due invoice, stops the retries and credits the overpayment', async () => {
  await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async (scene) => {
    const { orm, starter, now, advance } = scene;
    const { customer, subscription, paid: paidInvoice, renewal } = await pastDueSubscription(scene, '0712999071');
    const at = await now();
    const transfer = {
      invoiceId: renewal.id,
      currency: 'KES',
      method: 'BANK_TRANSFER' as const,
      receivedAt: at,
    };

    // Bad requests first: each refused with the rule, nothing written.
    await expect(
      recordOfflinePayment(orm.em, admin, starter, { ...transfer, amount: 4_000, currency: 'USD', reference: 'X' }, at),
    ).rejects.toThrow("input.currency must be the invoice's currency, KES");
    await expect(
      recordOfflinePayment(orm.em, admin, starter, { ...transfer, amount: 0, reference: 'X' }, at),
    ).rejects.toThrow('input.amount must be above 0');
    await expect(
      recordOfflinePayment(
        orm.em,
        admin,
        starter,
        { ...transfer, amount: 4_000, reference: 'X', receivedAt: new Date(at.getTime() + 3_600_000) },
        at,
      ),
    ).rejects.toThrow('input.receivedAt must not be in the future');
    await expect(
      recordOfflinePayment(
        orm.em,
        admin,
        starter,
        { ...transfer, invoiceId: paidInvoice.id, amount: 1, reference: 'Y' },
        at,
      ),
    ).rejects.toThrow(`invoice ${paidInvoice.number} owes nothing (PAID)`);
    expect(await orm.em.fork().count(OfflinePayment, { customer: customer.id })).toBe(0);

    // A first part: the invoice stays OPEN and owes the rest; the subscription is still behind.
    const first = await recordOfflinePayment(
      orm.em,
      admin,
      starter,
      { ...transfer, amount: 4_000, reference: 'FT-001' },
      at,
    );
    expect(first).toMatchObject({ appliedToInvoice: 4_000, creditedToBalance: 0 });
    expect(await orm.em.fork().findOneOrFail(Invoice, { id: renewal.id })).toMatchObject({
      status: 'OPEN',
      amountPaid: 4_000,
      amountRemaining: 6_000,
    });
    expect(await statusOf(orm, subscription.id)).toBe('PAST_DUE');
    // The same transfer sent again is the same record; its reference for another amount is refused.
    const again = await recordOfflinePayment(
      orm.em,
      admin,
      starter,
      { ...transfer, amount: 4_000, reference: ' ft-001 ' },
      at,
    );
    expect(again.id).toBe(first.id);
    await expect(
      recordOfflinePayment(orm.em, admin, starter, { ...transfer, amount: 5_000, reference: 'FT-001' }, at),
    ).rejects.toThrow('bank transfer FT-001 was already recorded for this customer');

    // The second part pays 500 more than remains: the invoice is PAID, the subscription ACTIVE, 500 is credit.
    const attemptsBefore = await attemptsOf(orm, renewal.id);
    const second = await recordOfflinePayment(
      orm.em,
      admin,
      starter,
      { ...transfer, amount: 6_500, reference: 'FT-002' },
      at,
    );
    expect(second).toMatchObject({ appliedToInvoice: 6_000, creditedToBalance: 500 });
    expect(await orm.em.fork().findOneOrFail(Invoice, { id: renewal.id })).toMatchObject({
      status: 'PAID',
      amountPaid: 10_000,
      amountRemaining: 0,
    });
    expect(await statusOf(orm, subscription.id)).toBe('ACTIVE');
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(500);
    const events = await orm.em
      .fork()
      .execute<{ type: string }[]>(`select type from events where object_id in (?, ?) order by seq`, [
        first.id,
        second.id,
      ]);
    expect(events.map((event) => event.type)).toEqual(['offline_payment.recorded', 'offline_payment.recorded']);

    // The retry schedule passes without another prompt for the settled invoice; a paid invoice cannot be voided.
    await advance(3 * 60_000 + 5_000);
    expect(await attemptsOf(orm, renewal.id)).toBe(attemptsBefore);
    await expect(voidInvoice(orm.em, admin, starter, { invoiceId: renewal.id, reason: 'x' })).rejects.toThrow(
      'only an OPEN invoice can be voided',
    );

    // The next period's invoice takes the 500 of credit first.
    await advance(2 * 60_000);
    await until(async () => expect((await invoicesOf(orm, subscription.id)).length).toBeGreaterThanOrEqual(3), 20_000);
    const next = (await invoicesOf(orm, subscription.id))[2]!;
    expect(next).toMatchObject({ total: 10_000, creditApplied: 500, amountDue: 9_500 });
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(0);

    // A voided invoice takes no payment.
    await until(async () => expect((await invoicesOf(orm, subscription.id))[2]!.status).toBe('OPEN'), 20_000);
    await voidInvoice(orm.em, admin, starter, { invoiceId: next.id, reason: 'issued by mistake' });
    await expect(
      recordOfflinePayment(
        orm.em,
        admin,
        starter,
        { ...transfer, invoiceId: next.id, amount: 9_500, reference: 'Z' },
        at,
      ),
    ).rejects.toThrow('a payment cannot be recorded on a VOID invoice');
  });
}, 120_000);
