// Data: the refund_succeeded payload (src/refunds/recordRefundOutcome.ts): refundId, paymentId, invoiceId,
// invoiceNumber, amount + currency (what went back), provider, reference (the PayPal refund id or the M-Pesa
// reversal receipt), and optional reason.
import { details, note, paragraph, type EmailTemplate } from './layout.js';

export const refundSucceeded: EmailTemplate = {
  subject: 'Refund: {{amount}} returned for invoice {{invoiceNumber}}',
  preview: '{{brand.productName}} has sent {{amount}} back to you.',
  heading: 'Refund sent',
  blocks: [
    paragraph('We have refunded {{amount}} of your payment for invoice {{invoiceNumber}}.'),
    details([
      ['Amount refunded', 'amount'],
      ['Invoice', 'invoiceNumber'],
      ['Refunded to', 'provider'],
      ['Reference', 'reference'],
      ['Reason', 'reason', 'optional'],
    ]),
    note('It can take a few days to show in your PayPal account; M-Pesa sends you a confirmation message.'),
  ],
  variables: (values) => ({
    amount: values.money(),
    invoiceNumber: values.text('invoiceNumber'),
    provider: values.provider('provider'),
    reference: values.optionalText('reference') ?? values.text('refundId'),
    reason: values.optionalText('reason'),
  }),
};
