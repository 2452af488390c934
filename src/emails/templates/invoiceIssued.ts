// Data: invoiceId, invoiceNumber, amount + currency (the amount due, minor units); optional dueAt, invoiceUrl (the
// invoice's page, e.g. a signed link) and payUrl;
// paybillShortCode and paybillAccount, added when composed for an unpaid KES invoice (docs/paybill.md).
import { LINK_PATHS } from '../renderValues.js';
import { button, details, paragraph, type EmailTemplate } from './layout.js';

export const invoiceIssued: EmailTemplate = {
  subject: 'Invoice {{invoiceNumber}} for {{amount}}',
  preview: 'Your new {{brand.productName}} invoice is ready.',
  heading: 'Your new invoice',
  blocks: [
    paragraph('Your {{brand.productName}} invoice {{invoiceNumber}} is ready.'),
    details([
      ['Invoice', 'invoiceNumber'],
      ['Amount due', 'amount'],
      ['Due', 'dueAt', 'optional'],
      ['Or pay by M-Pesa paybill', 'paybillShortCode', 'optional'],
      ['Account', 'paybillAccount', 'optional'],
    ]),
    paragraph('If you have a saved payment method we will charge it automatically; you can also pay the invoice now.'),
    button('Pay now', 'payUrl'),
    button('View the invoice', 'invoiceUrl', 'invoiceUrl'),
  ],
  variables: (values) => ({
    invoiceNumber: values.text('invoiceNumber'),
    amount: values.money(),
    dueAt: values.optionalDate('dueAt'),
    paybillShortCode: values.optionalText('paybillShortCode'),
    paybillAccount: values.optionalText('paybillAccount'),
    invoiceUrl: values.optionalUrl('invoiceUrl'),
    payUrl: values.url('payUrl', () => values.link(LINK_PATHS.payInvoice(values.text('invoiceId')))),
  }),
};
