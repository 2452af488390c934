// Data: the payment_receipt payload (src/payments/recordChargeOutcome.ts): invoiceId, invoiceNumber, paymentId,
// amount + currency, provider, reference; optional paidAt and invoiceUrl (the invoice's page, e.g. a signed link).
import { button, details, note, paragraph, type EmailTemplate } from './layout.js';

export const paymentReceipt: EmailTemplate = {
  subject: 'Receipt: {{amount}} paid for invoice {{invoiceNumber}}',
  preview: 'Thank you for your payment to {{brand.productName}}.',
  heading: 'Payment received',
  blocks: [
    paragraph('Thank you. We received your payment of {{amount}} for invoice {{invoiceNumber}}.'),
    details([
      ['Amount paid', 'amount'],
      ['Invoice', 'invoiceNumber'],
      ['Paid with', 'provider'],
      ['Reference', 'reference'],
      ['Date', 'paidAt', 'optional'],
    ]),
    note('Keep this email as your receipt.'),
    button('View the invoice', 'invoiceUrl', 'invoiceUrl'),
  ],
  variables: (values) => ({
    amount: values.money(),
    invoiceNumber: values.text('invoiceNumber'),
    provider: values.provider('provider'),
    // The payload's reference is the M-Pesa receipt or the provider's id and can be null for a payment settled
    // without one; the receipt then quotes our payment id, which support can look up, rather than not going out.
    reference: values.optionalText('reference') ?? values.text('paymentId'),
    paidAt: values.optionalDate('paidAt'),
    invoiceUrl: values.optionalUrl('invoiceUrl'),
  }),
};
