// Data: the balance_payment_received payload (src/payments/paybill/applyPaybillPayment.ts): paybillPaymentId,
// amount + currency (all of it went to the balance), reference (the M-Pesa receipt), account (what the customer
// typed), paidAt, and balance + currency (the customer's credit after it).
import { details, note, paragraph, type EmailTemplate } from './layout.js';

export const balancePaymentReceived: EmailTemplate = {
  subject: 'Receipt: {{amount}} added to your {{brand.productName}} balance',
  preview: 'Thank you: {{amount}} is on your balance for your next invoices.',
  heading: 'Payment received',
  blocks: [
    paragraph('Thank you. We received {{amount}} by M-Pesa. You owed nothing at the time, so it is on your balance.'),
    details([
      ['Amount paid', 'amount'],
      ['M-Pesa receipt', 'reference'],
      ['Account', 'account'],
      ['Date', 'paidAt'],
      ['Your balance now', 'balance'],
    ]),
    note('Your next invoices are paid from your balance first. Keep this email as your receipt.'),
  ],
  variables: (values) => ({
    amount: values.money(),
    reference: values.text('reference'),
    account: values.text('account'),
    paidAt: values.date('paidAt'),
    balance: values.money('balance'),
  }),
};
