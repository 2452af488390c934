// Credit notes through the lifecycle: on the PAST_DUE invoice being dunned, two notes take it to nothing owed (PAID),
// which stops the retries and makes the subscription ACTIVE; on the paid invoice, a note gives part back to the
// customer's balance, which the next renewal spends. Bad requests are refused naming the rule, and write nothing.
import { expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { creditBalance } from '../../src/billing/changes/customerCredit.js';
import { issueCreditNote } from '../../src/creditNotes/issueCreditNote.js';
import { CreditNote, Invoice, OutboxMessage, Payment } from '../../src/entities/index.js';
import { creditNoteText, loadCreditNoteDocument } from '../../src/invoices/creditNoteDocument.js';
import { renderDocumentHtml } from '../../src/invoices/invoiceHtml.js';
import { until } from '../support/eventually.js';
import { admin } from '../support/fixtures.js';
import { scenario } from '../support/lifecycleScenario.js';
import { invoicesOf, pastDueSubscription, statusOf } from '../support/pastDueSubscription.js';

it('credit notes settle a past-due invoice and credit a paid one to the balance the next renewal spends', async () => {
  await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async (scene) => {
    const { orm, starter, now, advance } = scene;
    const { customer, subscription, paid, renewal } = await pastDueSubscription(scene, '0712999081');
    const note = async (invoiceId: string, amounts: number[], extra: { refundAmount?: number; key?: string } = {}) =>
      issueCreditNote(
        orm.em,
        admin,
        starter,
        {
          invoiceId,
          reason: 'SERVICE_ISSUE',
          memo: 'Sorry for the outage.',
          lines: amounts.map((amount, index) => ({ description: `Outage credit ${index + 1}`, amount })),
          refundAmount: extra.refundAmount ?? 0,
          idempotencyKey: extra.key ?? randomUUID(),
        },
        await now(),
      );
    const invoice = (id: string) => orm.em.fork().findOneOrFail(Invoice, { id });

    // On the open invoice: 4,000 off leaves 6,000 owed; the subscription is still behind.
    const firstKey = randomUUID();
    const first = await note(renewal.id, [1_500, 2_500], { key: firstKey });
    expect(first.creditNote).toMatchObject({ amount: 4_000, reducesRemaining: 4_000, creditedToBalance: 0 });
    expect(first.creditNote.number).toMatch(/^CN-\d{4}-\d{6}$/);
    expect(await invoice(renewal.id)).toMatchObject({ status: 'OPEN', amountCredited: 4_000, amountRemaining: 6_000 });
    expect(await statusOf(orm, subscription.id)).toBe('PAST_DUE');
    // The same key is the same note.
    expect((await note(renewal.id, [1_500, 2_500], { key: firstKey })).creditNote.id).toBe(first.creditNote.id);

    // Nothing paid on it, so nothing to give back: a refund or a note beyond what is owed is refused.
    await expect(note(renewal.id, [6_001])).rejects.toThrow('input.lines must be at most 6000');
    await expect(note(renewal.id, [1_000], { refundAmount: 1 })).rejects.toThrow(
      'input.refundAmount must be at most 0',
    );

    // The rest: PAID by credit, the subscription ACTIVE, and the retries stop.
    const attempts = await orm.em.fork().count(Payment, { invoice: renewal.id });
    const second = await note(renewal.id, [6_000]);
    expect(Number(second.creditNote.number.slice(-6))).toBe(Number(first.creditNote.number.slice(-6)) + 1);
    expect(await invoice(renewal.id)).toMatchObject({ status: 'PAID', amountCredited: 10_000, amountRemaining: 0 });
    expect(await statusOf(orm, subscription.id)).toBe('ACTIVE');
    await advance(3 * 60_000 + 5_000);
    expect(await orm.em.fork().count(Payment, { invoice: renewal.id })).toBe(attempts);

    // On the paid invoice: 2,500 goes back to the balance; at most the other 7,500 can still be credited.
    const onPaid = await note(paid.id, [2_500]);
    expect(onPaid.creditNote).toMatchObject({ reducesRemaining: 0, creditedToBalance: 2_500, refundAmount: 0 });
    expect(await invoice(paid.id)).toMatchObject({
      status: 'PAID',
      amountPaid: 10_000,
      amountCredited: 2_500,
      amountRemaining: 0,
    });
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(2_500);
    await expect(note(paid.id, [7_501])).rejects.toThrow('input.lines must be at most 7500');
    // Its M-Pesa payment was confirmed without a callback, so no receipt to reverse: only B2C to the phone that paid,
    // which sends KES 10 at least; less is refused before anything is written.
    await expect(note(paid.id, [500], { refundAmount: 500 })).rejects.toThrow('input.refundAmount must be at most 0');

    // Each note is an event for the customer's app and webhooks, with the object as the API shows it.
    const [event] = await orm.em
      .fork()
      .execute<{ data: { object: Record<string, unknown> } }[]>(
        `select data from events where type = 'credit_note.created' and object_id = ?`,
        [onPaid.creditNote.id],
      );
    expect(event!.data.object).toMatchObject({
      number: onPaid.creditNote.number,
      amount: { amount: 2_500, currency: 'KES' },
      creditedToBalance: { amount: 2_500, currency: 'KES' },
    });

    // The customer is emailed each note; its document says what was credited and how it was used.
    const emails = await orm.em.fork().find(OutboxMessage, { kind: 'credit_note_issued', recipient: customer.email });
    expect(emails).toHaveLength(3);
    const document = await loadCreditNoteDocument(orm.em.fork(), onPaid.creditNote.id, { publicUrl: 'https://x.test' });
    const page = renderDocumentHtml(creditNoteText(document!)).html;
    expect(page).toContain(onPaid.creditNote.number);
    expect(page).toContain(paid.number);
    expect(page).toContain('Added to your balance');

    // The next renewal takes the 2,500 first and charges the rest.
    await advance(2 * 60_000);
    await until(async () => expect((await invoicesOf(orm, subscription.id)).length).toBeGreaterThanOrEqual(3), 20_000);
    expect((await invoicesOf(orm, subscription.id))[2]).toMatchObject({ creditApplied: 2_500, amountDue: 7_500 });
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(0);

    // A void invoice cannot be credited; nothing is written.
    const notesBefore = await orm.em.fork().count(CreditNote, { customer: customer.id });
    const third = (await invoicesOf(orm, subscription.id))[2]!;
    await orm.em.fork().nativeUpdate(Invoice, { id: third.id }, { status: 'VOID' });
    await expect(note(third.id, [100])).rejects.toThrow(
      'only an OPEN or PAID invoice can be credited; this one is VOID',
    );
    expect(await orm.em.fork().count(CreditNote, { customer: customer.id })).toBe(notesBefore);
  });
}, 120_000);
