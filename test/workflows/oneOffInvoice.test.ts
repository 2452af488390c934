// One-off invoices through their own workflow on the time-skipping server and the M-Pesa sandbox: an app asks for a
// one-off M-Pesa payment from its customer (AUTOMATIC), the prompt is paid and the invoice PAID; a cancelled prompt
// leaves it OPEN until an offline payment settles it, which ends the collection; SEND queues the invoice email and
// charges nothing; bad requests are refused naming the field, and a repeated request creates nothing new.
import { expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createApiClient } from '../../src/accounts/apiClients.js';
import { createInvoice, type CreateInvoiceInput } from '../../src/billing/createInvoice.js';
import { Invoice, OutboxMessage, Payment } from '../../src/entities/index.js';
import type { Caller } from '../../src/kernel/caller.js';
import { recordOfflinePayment } from '../../src/payments/offline/recordOfflinePayment.js';
import { payInvoice } from '../../src/payments/payInvoice.js';
import { oneOffInvoiceWorkflowId } from '../../src/temporal/subscriptionLifecycle.js';
import { NO_TAX } from '../../src/domain/tax.js';
import { testCipher } from '../support/config.js';
import { until } from '../support/eventually.js';
import { aCustomer, admin } from '../support/fixtures.js';
import { scenario } from '../support/lifecycleScenario.js';

it('collects a one-off M-Pesa payment an app asks for, and settles a declined one offline', async () => {
  await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async ({ env, orm, starter, sandbox, now, advance }) => {
    const app = await createApiClient(orm.em.fork(), admin, {
      name: `One-off ${randomUUID()}`,
      scopes: ['write:invoices', 'read:customers', 'write:customers'],
    });
    const appCaller: Caller = {
      kind: 'apiClient',
      apiClientId: app.id,
      apiKeyId: randomUUID(),
      scopes: ['write:invoices', 'write:customers', 'read:customers'],
    };
    const customer = await aCustomer(orm.em, appCaller);
    const deps = { lifecycle: starter, cipher: testCipher(), tax: NO_TAX };
    const request = (extra: Partial<CreateInvoiceInput> = {}): CreateInvoiceInput => ({
      customerId: customer.id,
      currency: 'KES',
      description: 'Onboarding workshop',
      lines: [
        { description: 'Workshop seat', quantity: 2, unitAmount: 7_500 },
        { description: 'Materials', unitAmount: 1_000 },
      ],
      collect: 'AUTOMATIC',
      paymentMethod: { provider: 'MPESA', phone: '0712999091' },
      idempotencyKey: randomUUID(),
      ...extra,
    });
    const invoiceOf = (id: string) => orm.em.fork().findOneOrFail(Invoice, { id });

    // Refused, naming the field; nothing written.
    const before = await orm.em.fork().count(Invoice, { customer: customer.id });
    await expect(createInvoice(orm.em, appCaller, deps, request({ paymentMethod: null }), await now())).rejects.toThrow(
      'input.paymentMethod is required to collect AUTOMATIC',
    );
    await expect(createInvoice(orm.em, appCaller, deps, request({ currency: 'USD' }), await now())).rejects.toThrow(
      'input.paymentMethod.provider MPESA takes KES only',
    );
    await expect(
      createInvoice(orm.em, appCaller, deps, request({ dueDate: new Date((await now()).getTime() - 1) }), await now()),
    ).rejects.toThrow('input.dueDate must be in the future');
    await expect(
      createInvoice(orm.em, appCaller, deps, request({ lines: [{ description: 'x', unitAmount: 0 }] }), await now()),
    ).rejects.toThrow('input.lines.0.unitAmount must be above 0');
    expect(await orm.em.fork().count(Invoice, { customer: customer.id })).toBe(before);

    // AUTOMATIC: the prompt is answered, the invoice PAID, the workflow done.
    const first = request();
    const invoice = await createInvoice(orm.em, appCaller, deps, first, await now());
    expect(invoice).toMatchObject({ kind: 'ONE_OFF', subscription: null, total: 16_000, amountDue: 16_000 });
    expect((await createInvoice(orm.em, appCaller, deps, first, await now())).id).toBe(invoice.id);
    await advance(5_000);
    await until(async () => expect((await invoiceOf(invoice.id)).status).toBe('PAID'), 20_000);
    const [payment] = await orm.em.fork().find(Payment, { invoice: invoice.id });
    expect(payment).toMatchObject({ provider: 'MPESA', status: 'SUCCEEDED', amount: 16_000 });
    expect(await env.client.workflow.getHandle(oneOffInvoiceWorkflowId(invoice.id)).result()).toBe('PAID');

    // A cancelled prompt: the invoice stays OPEN; a bank transfer settles it and the collection ends PAID.
    sandbox.script('254712999092', { kind: 'result', resultCode: 1032 });
    const declined = await createInvoice(
      orm.em,
      appCaller,
      deps,
      request({ paymentMethod: { provider: 'MPESA', phone: '0712999092' } }),
      await now(),
    );
    await advance(5_000);
    await until(async () => {
      const [attempt] = await orm.em.fork().find(Payment, { invoice: declined.id });
      expect(attempt?.status).toBe('FAILED');
    }, 20_000);
    expect((await invoiceOf(declined.id)).status).toBe('OPEN');
    await recordOfflinePayment(
      orm.em,
      admin,
      starter,
      {
        invoiceId: declined.id,
        amount: 16_000,
        currency: 'KES',
        method: 'BANK_TRANSFER',
        reference: `FT-${randomUUID()}`,
        receivedAt: await now(),
      },
      await now(),
    );
    expect(await env.client.workflow.getHandle(oneOffInvoiceWorkflowId(declined.id)).result()).toBe('PAID');
    expect(await orm.em.fork().count(Payment, { invoice: declined.id })).toBe(1);

    // SEND: emailed to be paid, nothing charged, no workflow.
    const sent = await createInvoice(
      orm.em,
      appCaller,
      deps,
      request({ collect: 'SEND', paymentMethod: null }),
      await now(),
    );
    expect(sent).toMatchObject({ status: 'OPEN', collection: 'SEND' });
    expect(
      await orm.em.fork().count(OutboxMessage, { kind: 'invoice_issued', dedupeKey: `invoice_issued:${sent.id}` }),
    ).toBe(1);
    expect(await orm.em.fork().count(Payment, { invoice: sent.id })).toBe(0);

    // The customer pays it with their phone (payInvoice with a method): charged through its own workflow, PAID.
    await expect(payInvoice(orm.em, appCaller, starter, { invoiceId: sent.id })).rejects.toThrow(
      'input.invoiceId has no payment method to charge',
    );
    await payInvoice(
      orm.em,
      appCaller,
      starter,
      { invoiceId: sent.id, paymentMethod: { provider: 'MPESA', phone: '0712999093' } },
      testCipher(),
    );
    await advance(5_000);
    await until(async () => expect((await invoiceOf(sent.id)).status).toBe('PAID'), 20_000);
    expect(await env.client.workflow.getHandle(oneOffInvoiceWorkflowId(sent.id)).result()).toBe('PAID');
  });
}, 120_000);
