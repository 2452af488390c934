// Data: the subscription_unpaid payload (src/billing/markUnpaid.ts): invoiceId; optional invoiceNumber and
// amount + currency.
import { LINK_PATHS } from '../renderValues.js';
import { button, details, paragraph, type EmailTemplate } from './layout.js';

export const subscriptionUnpaid: EmailTemplate = {
  subject: 'Your {{brand.productName}} subscription is unpaid',
  preview: 'Your access is suspended until the open invoice is paid.',
  heading: 'Your subscription is unpaid',
  blocks: [
    paragraph(
      'We could not collect the payment for your {{brand.productName}} subscription, and the automatic retries ' +
        'are over. Your access is suspended until the open invoice is paid.',
    ),
    details([
      ['Invoice', 'invoiceNumber', 'optional'],
      ['Amount due', 'amount', 'optional'],
    ]),
    button('Pay now', 'payUrl'),
    paragraph('Once it is paid, your subscription continues where it left off.'),
  ],
  variables: (values) => ({
    invoiceNumber: values.optionalText('invoiceNumber'),
    amount: values.optionalMoney(),
    payUrl: values.url('payUrl', () => values.link(LINK_PATHS.payInvoice(values.text('invoiceId')))),
  }),
};
