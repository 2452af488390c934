// Delivering the outbox over real SMTP (smtp-server in the test), with the real templates, invoice links and PDF:
// each notice is sent once with its Message-ID, reminders respect preferences, a refused address is recorded as a
// permanent failure, and a transient refusal is retried later.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PDFParse } from 'pdf-parse';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { brandFrom } from '../../../src/emails/brand.js';
import { noticeComposer } from '../../../src/emails/composeNotice.js';
import { deliverDueNotices, messageIdFor, type DeliveryOptions } from '../../../src/emails/deliverOutbox.js';
import { smtpMailer } from '../../../src/emails/smtpMailer.js';
import { Customer, OutboxMessage, Subscription } from '../../../src/entities/index.js';
import { invoiceLinkSettings } from '../../../src/invoices/invoiceLinks.js';
import { queueNotice, type Notice } from '../../../src/notices/queueNotice.js';
import { accountReference } from '../../../src/payments/mpesa/chargeTexts.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { testConfig } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';
import { SmtpCatcher } from '../../support/smtpCatcher.js';

describe('outbox delivery over SMTP', () => {
  let orm: Orm;
  let api: RunningApi;
  let catcher: SmtpCatcher;
  let options: DeliveryOptions & { close(): void };
  let clock = Date.now();

  beforeAll(async () => {
    orm = await testOrm();
    catcher = new SmtpCatcher();
    const smtpUrl = await catcher.listen();
    api = await startApi(orm);
    const config = testConfig({ PUBLIC_URL: api.url, SMTP_URL: smtpUrl });
    const mailer = smtpMailer(smtpUrl);
    options = {
      mailer,
      compose: noticeComposer({
        brand: brandFrom(config),
        links: invoiceLinkSettings(config),
        defaultLocale: 'en-KE',
        paybillShortCode: '174379',
      }),
      from: config.smtp.from,
      messageIdDomain: 'billing.test',
      batchSize: 1000,
      now: () => new Date(clock),
      close: () => mailer.close(),
    };
  });
  afterAll(async () => {
    options?.close();
    await catcher?.close();
    await api?.stop();
    await orm?.close();
  });

  /** Rounds until this test's notices are settled (only its own: the shared test database holds others too). */
  async function deliverUntilSettled(dedupeKeys: string[]): Promise<OutboxMessage[]> {
    for (let round = 0; round < 20; round++) {
      await deliverDueNotices(orm.em, { ...options, only: { dedupeKey: { $in: dedupeKeys } } });
      const rows = await orm.em.fork().find(OutboxMessage, { dedupeKey: { $in: dedupeKeys } });
      if (rows.every((row) => row.sentAt || row.failedAt || row.skippedAt || row.nextAttemptAt)) return rows;
    }
    throw new Error('notices did not settle');
  }

  async function aSubscriberWithInvoice(email?: string) {
    const customer = await aCustomer(orm.em);
    if (email) {
      const em = orm.em.fork();
      const row = await em.findOneOrFail(Customer, { id: customer.id });
      row.email = email;
      await em.flush();
    }
    const plan = await aPlan(orm.em, { amount: 250_000, currency: 'KES', trialDays: 0 });
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: new Date(),
    });
    await em.flush();
    const invoice = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    return { customer: await orm.em.fork().findOneOrFail(Customer, { id: customer.id }), subscription, invoice };
  }

  const queue = (notice: Notice) => orm.em.fork().transactional((em) => queueNotice(em, notice));

  it('sends a receipt once, with the invoice PDF attached and a working link to the invoice page', async () => {
    const { customer, subscription, invoice } = await aSubscriberWithInvoice();
    const dedupeKey = `payment_receipt:${randomUUID()}`;
    await queue({
      kind: 'payment_receipt',
      dedupeKey,
      subscriptionId: subscription.id,
      customerId: customer.id,
      payload: {
        invoiceId: invoice.invoiceId,
        invoiceNumber: invoice.number,
        paymentId: randomUUID(),
        amount: 250_000,
        currency: 'KES',
        provider: 'MPESA',
        reference: 'NLJ7RT61SV',
      },
    });
    const [row] = await deliverUntilSettled([dedupeKey]);
    expect(row).toMatchObject({ attempts: 1, failedAt: null, messageId: messageIdFor(dedupeKey, 'billing.test') });

    const [email, ...more] = catcher.to(customer.email);
    expect(more).toEqual([]);
    expect(email!.messageId).toBe(messageIdFor(dedupeKey, 'billing.test'));
    expect(email!.subject).toContain(invoice.number);
    expect(email!.text).toContain('NLJ7RT61SV');
    expect(email!.text).toMatch(/2,500\.00/);
    expect(email!.html).toContain(invoice.number);

    const pdf = email!.attachments.find((attachment) => attachment.mimeType === 'application/pdf');
    expect(pdf?.filename).toBe(`${invoice.number}.pdf`);
    const parsed = await new PDFParse({ data: new Uint8Array(pdf!.content as ArrayBuffer) }).getText();
    expect(parsed.text).toContain(invoice.number);

    const link = /https?:\/\/[^\s"<>]+\/invoices\/[^\s"<>]+/.exec(email!.text ?? '')?.[0];
    expect(link).toBeDefined();
    const page = await fetch(link!.replaceAll('&amp;', '&'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(invoice.number);

    // Another round sends nothing again.
    await deliverDueNotices(orm.em, { ...options, only: { dedupeKey } });
    expect(catcher.to(customer.email)).toHaveLength(1);
  });

  it('tells how to pay an unpaid KES invoice from the phone, in the email and on the invoice page', async () => {
    const { customer, subscription, invoice } = await aSubscriberWithInvoice();
    const dedupeKey = `invoice_issued:${randomUUID()}`;
    await queue({
      kind: 'invoice_issued',
      dedupeKey,
      subscriptionId: subscription.id,
      customerId: customer.id,
      payload: { invoiceId: invoice.invoiceId, invoiceNumber: invoice.number, amount: 250_000, currency: 'KES' },
    });
    await deliverUntilSettled([dedupeKey]);
    const [email] = catcher.to(customer.email);
    expect(email!.text).toContain('Or pay by M-Pesa paybill');
    expect(email!.text).toContain('174379');
    expect(email!.text).toContain(
      `${accountReference(invoice.number)} (or your account number ${customer.accountNumber})`,
    );

    const link = /https?:\/\/[^\s"<>]+\/invoices\/[^\s"<>]+/.exec(email!.text ?? '')?.[0];
    const page = await (await fetch(link!.replaceAll('&amp;', '&'))).text();
    expect(page).toContain('Pay from your phone');
    expect(page).toContain(accountReference(invoice.number));
    expect(page).toContain(customer.accountNumber);
  });

  it('silences a renewal reminder the customer turned off, but never a payment problem', async () => {
    const { customer, subscription, invoice } = await aSubscriberWithInvoice();
    const em = orm.em.fork();
    const row = await em.findOneOrFail(Customer, { id: customer.id });
    row.preferences = { ...row.preferences, renewalReminders: false };
    await em.flush();
    const reminder = `renewal_reminder:${randomUUID()}`;
    const failed = `payment_failed:${randomUUID()}`;
    await queue({
      kind: 'renewal_reminder',
      dedupeKey: reminder,
      subscriptionId: subscription.id,
      customerId: customer.id,
      payload: { renewsAt: new Date(clock + 7 * 86_400_000).toISOString() },
    });
    await queue({
      kind: 'payment_failed',
      dedupeKey: failed,
      subscriptionId: subscription.id,
      customerId: customer.id,
      payload: { invoiceId: invoice.invoiceId, paymentId: randomUUID(), failureCode: '1032', nextAttemptAt: null },
    });
    const rows = await deliverUntilSettled([reminder, failed]);
    const byKey = Object.fromEntries(rows.map((r) => [r.dedupeKey, r]));
    expect(byKey[reminder]).toMatchObject({ sentAt: null, lastError: 'the customer turned off renewalReminders' });
    expect(byKey[reminder]!.skippedAt).not.toBeNull();
    expect(byKey[failed]!.sentAt).not.toBeNull();
    const received = catcher.to(customer.email);
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toContain(invoice.number);
  });

  it('records a permanent refusal without retrying, and retries a transient one later', async () => {
    const refusedAddress = `gone-${randomUUID()}@example.test`;
    const busyAddress = `busy-${randomUUID()}@example.test`;
    catcher.refuse(refusedAddress, 550);
    catcher.refuse(busyAddress, 421, 1);
    const refused = await aSubscriberWithInvoice(refusedAddress);
    const busy = await aSubscriberWithInvoice(busyAddress);
    const keys = [`payment_failed:${randomUUID()}`, `payment_failed:${randomUUID()}`];
    for (const [index, who] of [refused, busy].entries()) {
      await queue({
        kind: 'action_required',
        dedupeKey: keys[index]!,
        subscriptionId: who.subscription.id,
        customerId: who.customer.id,
        payload: {
          invoiceId: who.invoice.invoiceId,
          paymentId: randomUUID(),
          failureCode: '8006',
          nextAttemptAt: null,
        },
      });
    }
    const rows = await deliverUntilSettled(keys);
    const [permanent, transient] = keys.map((key) => rows.find((row) => row.dedupeKey === key)!);
    expect(permanent).toMatchObject({ attempts: 1, sentAt: null });
    expect(permanent!.failedAt).not.toBeNull();
    expect(permanent!.lastError).toMatch(/550/);
    expect(transient).toMatchObject({ attempts: 1, sentAt: null, failedAt: null });
    expect(transient!.nextAttemptAt!.getTime()).toBeGreaterThan(clock);

    clock += 60_000; // past the back-off
    const after = await deliverUntilSettled(keys);
    expect(after.find((row) => row.dedupeKey === keys[1])).toMatchObject({ attempts: 2, failedAt: null });
    expect(after.find((row) => row.dedupeKey === keys[1])!.sentAt).not.toBeNull();
    expect(after.find((row) => row.dedupeKey === keys[0])).toMatchObject({ attempts: 1 });
    expect(catcher.to(busyAddress)).toHaveLength(1);
    expect(catcher.to(refusedAddress)).toHaveLength(0);
  });
});
