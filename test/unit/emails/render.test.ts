import { describe, expect, it } from '@jest/globals';
import mjml2html from 'mjml';
import {
  compileMjml,
  EMAIL_KINDS,
  EmailTemplateError,
  prepareEmail,
  renderEmail,
  type Brand,
  type EmailData,
  type EmailKind,
} from '../../../src/emails/render.js';
import { formatMoney, money } from '../../../src/domain/money.js';
import { interpolate } from '../../../src/emails/renderInterpolate.js';

const brand: Brand = {
  productName: 'Karibu Billing',
  logoUrl: null,
  primaryColor: '#0b7a4b',
  supportEmail: 'support@example.com',
  legalFooter: 'Karibu Billing Ltd, Nairobi.',
  publicUrl: 'https://billing.example.com',
};

// 21:30 UTC is already the next day in Nairobi: dates below prove the time zone, not only the format.
const SAMPLES: Record<EmailKind, Record<string, unknown>> = {
  welcome_verify_email: { userId: 'u1', token: 'tok-verify', expiresAt: '2026-03-12T21:30:00Z' },
  password_reset: { userId: 'u1', token: 'tok-reset', expiresAt: '2026-03-12T21:30:00Z' },
  subscription_started: {
    planName: 'Pro',
    amount: 250000,
    currency: 'KES',
    interval: 'MONTH',
    renewsAt: '2026-04-12T21:30:00Z',
  },
  trial_ending: { trialEnd: '2026-03-12T21:30:00Z' },
  renewal_reminder: { renewsAt: '2026-03-12T21:30:00Z', amount: 250000, currency: 'KES' },
  invoice_issued: { invoiceId: 'inv-1', invoiceNumber: 'INV-2026-0042', amount: 250000, currency: 'KES' },
  payment_receipt: {
    invoiceId: 'inv-1',
    invoiceNumber: 'INV-2026-0042',
    paymentId: 'pay-1',
    amount: 250000,
    currency: 'KES',
    provider: 'MPESA',
    reference: 'QJK3X8Y2Z1',
  },
  balance_payment_received: {
    paybillPaymentId: 'pb-1',
    amount: 150000,
    currency: 'KES',
    reference: 'RKTQDM7W6S',
    account: 'ACC000042',
    paidAt: '2026-03-12T21:30:00Z',
    balance: 200000,
  },
  credit_note_issued: {
    creditNoteId: 'cn-1',
    creditNoteNumber: 'CN-2026-000007',
    invoiceId: 'inv-1',
    invoiceNumber: 'INV-2026-0042',
    amount: 50000,
    currency: 'KES',
    creditedToBalance: 50000,
    refundAmount: 0,
    memo: 'Sorry for the outage on 3 March.',
  },
  payment_failed: {
    invoiceId: 'inv-1',
    paymentId: 'pay-1',
    failureCode: '1',
    nextAttemptAt: '2026-03-12T21:30:00Z',
  },
  action_required: { invoiceId: 'inv-1', paymentId: 'pay-1', failureCode: '2001', nextAttemptAt: null },
  refund_succeeded: {
    refundId: 'ref-1',
    paymentId: 'pay-1',
    invoiceId: 'inv-1',
    invoiceNumber: 'INV-2026-0042',
    amount: 250000,
    currency: 'KES',
    provider: 'MPESA',
    reference: 'RKT1X8Y2Z9',
    reason: 'Service not delivered',
  },
  standing_order_outdated: {
    standingOrderId: 'so-1',
    invoiceId: 'inv-1',
    invoiceNumber: 'INV-2026-0042',
    amount: 300000,
    currency: 'KES',
    orderAmount: 250000,
  },
  subscription_paused: { pausedAt: '2026-03-12T21:30:00Z' },
  subscription_resumed: { resumedAt: '2026-03-12T21:30:00Z' },
  plan_changed: { fromPlanName: 'Starter', toPlanName: 'Pro', effectiveAt: '2026-03-12T21:30:00Z' },
  subscription_canceled: { reason: 'CANCELED_BY_REQUEST', endedAt: '2026-03-12T21:30:00Z' },
  subscription_unpaid: { invoiceId: 'inv-1' },
  subscription_expired: { reason: 'FIRST_PAYMENT_EXPIRED', endedAt: '2026-03-12T21:30:00Z' },
  webhook_endpoint_failing: {
    endpointId: 'we-1',
    endpointUrl: 'https://shop.example.com/hooks',
    appName: 'Duka',
    failingSince: '2026-03-12T21:30:00Z',
  },
};

const SUBJECTS: Record<EmailKind, string> = {
  welcome_verify_email: 'Welcome to Karibu Billing: please confirm your email',
  password_reset: 'Reset your Karibu Billing password',
  subscription_started: 'Your Pro subscription has started',
  trial_ending: 'Your Karibu Billing trial ends on 13 March 2026',
  renewal_reminder: 'Your Karibu Billing subscription renews on 13 March 2026',
  invoice_issued: 'Invoice INV-2026-0042 for Ksh 2,500.00',
  payment_receipt: 'Receipt: Ksh 2,500.00 paid for invoice INV-2026-0042',
  balance_payment_received: 'Receipt: Ksh 1,500.00 added to your Karibu Billing balance',
  credit_note_issued: 'Credit note CN-2026-000007: Ksh 500.00 off invoice INV-2026-0042',
  payment_failed: 'Your Karibu Billing payment did not go through',
  action_required: 'Action required: update your Karibu Billing payment method',
  refund_succeeded: 'Refund: Ksh 2,500.00 returned for invoice INV-2026-0042',
  standing_order_outdated: 'Your Karibu Billing price changed: please approve a new standing order',
  subscription_paused: 'Your Karibu Billing subscription is paused',
  subscription_resumed: 'Your Karibu Billing subscription has resumed',
  plan_changed: 'Your plan: Starter to Pro',
  subscription_canceled: 'Your Karibu Billing subscription has been cancelled',
  subscription_unpaid: 'Your Karibu Billing subscription is unpaid',
  subscription_expired: 'Your Karibu Billing subscription did not start',
  webhook_endpoint_failing: 'A webhook endpoint of Duka is failing',
};

/** Intl writes no-break spaces ("Ksh\u00a02,500.00", "12:30\u202fAM"); assertions are easier to read without them. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

async function render(input: EmailData, withBrand: Brand = brand) {
  const rendered = await renderEmail(input, withBrand);
  return { subject: plain(rendered.subject), html: plain(rendered.html), text: plain(rendered.text) };
}

const email = (kind: EmailKind, overrides: Partial<EmailData> = {}): EmailData => ({
  kind,
  recipientName: 'Amina Otieno',
  locale: 'en-KE',
  data: SAMPLES[kind],
  ...overrides,
});

describe('renderEmail', () => {
  it('has a template for every email kind, including every notice kind', () => {
    expect([...EMAIL_KINDS].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  describe.each(EMAIL_KINDS)('%s', (kind) => {
    it.each([
      ['without a logo', brand],
      ['with a logo', { ...brand, logoUrl: 'https://cdn.example.com/logo.png' }],
    ])('passes strict MJML validation %s and leaves no placeholder behind', async (_label, withBrand) => {
      const { mjml } = prepareEmail(email(kind), withBrand);
      const checked = await mjml2html(mjml, { validationLevel: 'strict' });
      expect(checked.errors).toEqual([]);

      const rendered = await renderEmail(email(kind), withBrand);
      for (const part of [rendered.subject, rendered.html, rendered.text]) {
        expect(part).not.toMatch(/\{\{|\}\}/);
      }
      expect(rendered.html).toContain('<!doctype html>');
      expect(rendered.html).toContain('support@example.com');
      expect(rendered.html).toContain('Karibu Billing Ltd, Nairobi.');
      expect(rendered.html).toContain('#0b7a4b');
      expect(rendered.html).toContain('Hi Amina Otieno,');
      expect(rendered.text).toMatch(/^.+\n\nHi Amina Otieno,\n\n/);
      expect(rendered.text).toContain('Questions? Write to support@example.com\nKaribu Billing Ltd, Nairobi.\n');
      if (withBrand.logoUrl) expect(rendered.html).toContain('src="https://cdn.example.com/logo.png"');
    });

    it('has its subject', async () => {
      expect((await render(email(kind))).subject).toBe(SUBJECTS[kind]);
    });
  });

  it('names a missing variable instead of leaving a blank', async () => {
    const { invoiceNumber: _omitted, ...withoutNumber } = SAMPLES.payment_receipt;
    await expect(renderEmail(email('payment_receipt', { data: withoutNumber }), brand)).rejects.toThrow(
      new EmailTemplateError('payment_receipt: no value for the variable "invoiceNumber"'),
    );
    await expect(renderEmail(email('trial_ending', { data: { trialEnd: null } }), brand)).rejects.toThrow(/"trialEnd"/);
    await expect(renderEmail(email('renewal_reminder', { data: { renewsAt: 'soon' } }), brand)).rejects.toThrow(
      'the variable "renewsAt" must be a date',
    );
    await expect(renderEmail(email('password_reset'), { ...brand, legalFooter: ' ' })).rejects.toThrow(
      'no value for the variable "brand.legalFooter"',
    );
    await expect(
      renderEmail(email('invoice_issued', { data: { ...SAMPLES.invoice_issued, currency: undefined } }), brand),
    ).rejects.toThrow('no value for the variable "currency"');
  });

  it('refuses unknown placeholders, stray braces, unknown kinds and locales', async () => {
    expect(() => interpolate('Hi {{name}}, {{missing}}', { name: 'A' }, 'text', 'test')).toThrow(
      'test: no value for the variable "missing"',
    );
    expect(() => interpolate('Hi {{ name }', { name: 'A' }, 'text', 'test')).toThrow('malformed placeholder');
    await expect(renderEmail(email('nope' as EmailKind), brand)).rejects.toThrow('no email template for the kind');
    await expect(renderEmail(email('trial_ending', { locale: 'not a locale!' }), brand)).rejects.toThrow(
      'the variable "locale" is not a BCP 47 language tag',
    );
    await expect(
      renderEmail(email('subscription_canceled', { data: { reason: 'BORED', endedAt: '2026-03-12' } }), brand),
    ).rejects.toThrow('the variable "reason" has an unknown value "BORED"');
  });

  it('escapes values in the HTML and leaves the text part as written', async () => {
    const hostile = '<script>alert("x")</script> & {{brand.supportEmail}}';
    const rendered = await renderEmail(
      email('subscription_started', {
        recipientName: hostile,
        data: { ...SAMPLES.subscription_started, planName: 'Pro "Team" <b>' },
      }),
      brand,
    );
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).not.toContain('<b>');
    expect(rendered.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#123;&#123;brand');
    expect(rendered.text).toContain(`Hi ${hostile},`);
    expect(rendered.text).toContain('Plan:         Pro "Team" <b>');
    expect(rendered.subject).toBe('Your Pro "Team" <b> subscription has started');
  });

  it('writes money and dates in the customer locale, dates in East Africa Time', async () => {
    const receipt = (locale: string, amount: number, currency: string) =>
      render(email('payment_receipt', { locale, data: { ...SAMPLES.payment_receipt, amount, currency } }), brand);
    expect((await receipt('en-KE', 250000, 'KES')).text).toContain('Amount paid: Ksh 2,500.00');
    expect((await receipt('en-US', 250000, 'KES')).text).toContain('Amount paid: KES 2,500.00');
    expect((await receipt('en-US', 1999, 'USD')).text).toContain('Amount paid: $19.99');
    expect((await receipt('en-KE', 1999, 'USD')).html).toContain('US$19.99');
    const exact = await renderEmail(email('payment_receipt'), brand);
    expect(exact.text).toContain(formatMoney(money(250000, 'KES'), 'en-KE'));
    expect(exact.subject).toContain(formatMoney(money(250000, 'KES'), 'en-KE'));

    const reminder = (locale: string) => render(email('renewal_reminder', { locale }));
    expect((await reminder('en-KE')).text).toContain('renews on 13 March 2026.');
    expect((await reminder('en-US')).text).toContain('renews on March 13, 2026.');
    expect((await reminder('fr-FR')).text).toContain('renews on 13 mars 2026.');

    const failedUs = await render(email('payment_failed', { locale: 'en-US' }));
    expect(failedUs.text).toContain('We will try again on March 13, 2026 at 12:30 AM GMT+3.');
    const failedKe = await render(email('payment_failed'));
    expect(failedKe.text).toContain('We will try again on 13 March 2026 at 00:30 EAT.');
  });

  it('puts the key figures and links in the text part', async () => {
    const receipt = await render(email('payment_receipt'));
    expect(receipt.text).toContain(
      'Amount paid: Ksh 2,500.00\nInvoice:     INV-2026-0042\nPaid with:   M-Pesa\nReference:   QJK3X8Y2Z1',
    );

    const invoice = await render(email('invoice_issued'));
    expect(invoice.text).toContain('Amount due: Ksh 2,500.00');
    expect(invoice.text).toContain('Pay now:\nhttps://billing.example.com/billing/invoices/inv-1/pay');

    const failed = await render(email('payment_failed'));
    expect(failed.text).toContain('Reason code: 1');
    expect(failed.text).toContain('We will try again on 13 March 2026 at 00:30 EAT.');
    expect(failed.text).toContain('Pay now:\nhttps://billing.example.com/billing/invoices/inv-1/pay');
    expect(failed.html).toContain('href="https://billing.example.com/billing/invoices/inv-1/pay"');

    const action = await render(email('action_required'));
    expect(action.text).toContain('Update payment method:\nhttps://billing.example.com/billing/payment-method');

    const verify = await render(email('welcome_verify_email'));
    expect(verify.text).toContain(
      'Confirm my email:\nhttps://billing.example.com/account/verify-email?token=tok-verify',
    );
    expect(verify.text).toContain('This link works until 13 March 2026 at 00:30 EAT.');

    const reset = await render(email('password_reset'));
    expect(reset.text).toContain('https://billing.example.com/account/reset-password?token=tok-reset');

    const started = await render(email('subscription_started'));
    expect(started.text).toContain('Price:        Ksh 2,500.00 per month\nNext renewal: 13 April 2026');

    const ended = await render(email('subscription_canceled'));
    expect(ended.text).toContain('ended on 13 March 2026, as you asked.');
  });

  it('shows optional parts only when their data is there', async () => {
    const lastTry = await render(
      email('payment_failed', {
        data: { ...SAMPLES.payment_failed, nextAttemptAt: null, invoiceNumber: 'INV-7', amount: 500, currency: 'USD' },
      }),
    );
    expect(lastTry.text).toContain('We will not try again automatically');
    expect(lastTry.text).not.toContain('We will try again');
    expect(lastTry.text).toContain('Invoice:     INV-7\nAmount:      US$5.00');

    const unpaid = await renderEmail(email('subscription_unpaid'), brand);
    expect(unpaid.text).not.toContain('Amount due');
    const reminder = await renderEmail(
      email('renewal_reminder', { data: { renewsAt: '2026-03-12T21:30:00Z' } }),
      brand,
    );
    expect(reminder.text).not.toContain('We will charge');

    // A downgrade made now says what it credited; other plan changes have no such row.
    const downgrade = await render(
      email('plan_changed', { data: { ...SAMPLES.plan_changed, currency: 'KES', creditAmount: 260000 } }),
    );
    expect(downgrade.text).toMatch(/Credit for unused time: +Ksh\s2,600\.00/);
    expect((await render(email('plan_changed'))).text).not.toContain('Credit for unused time');

    const nameless = await renderEmail(email('trial_ending', { recipientName: '  ' }), brand);
    expect(nameless.text).toContain('\n\nHello,\n\n');
  });

  it('builds links under the public URL, or takes the ones the data brings', async () => {
    const based = await renderEmail(email('invoice_issued'), { ...brand, publicUrl: 'https://example.com/app/' });
    expect(based.text).toContain('https://example.com/app/billing/invoices/inv-1/pay');

    const signed = 'https://billing.example.com/invoices/inv-1?token=abc.def&x=1';
    const given = await renderEmail(
      email('invoice_issued', { data: { ...SAMPLES.invoice_issued, invoiceUrl: signed } }),
      brand,
    );
    expect(given.text).toContain(`View the invoice:\n${signed}`);
    expect(given.html).toContain('href="https://billing.example.com/invoices/inv-1?token=abc.def&amp;x=1"');

    await expect(
      renderEmail(
        email('invoice_issued', { data: { ...SAMPLES.invoice_issued, payUrl: 'javascript:alert(1)' } }),
        brand,
      ),
    ).rejects.toThrow('the variable "payUrl" must be an http(s) URL');
  });

  it('refuses a brand colour MJML and CSS would have to guess about', async () => {
    await expect(renderEmail(email('trial_ending'), { ...brand, primaryColor: 'green;x' })).rejects.toThrow(
      'the variable "brand.primaryColor" must be a #rrggbb colour',
    );
  });

  it('reports MJML validation errors as EmailTemplateError', async () => {
    const invalid = '<mjml><mj-body><mj-text>not inside a column</mj-text></mj-body></mjml>';
    const failure = compileMjml(invalid, 'broken');
    await expect(failure).rejects.toBeInstanceOf(EmailTemplateError);
    await expect(compileMjml(invalid, 'broken')).rejects.toThrow(/^broken: MJML refused the email: .*mj-text/s);
  });
});
