// Data: the standing_order_outdated payload (src/payments/ratiba/standingOrderCollections.ts): standingOrderId,
// invoiceId, invoiceNumber, amount + currency (what the invoice asks), orderAmount (what the order collects).
import { LINK_PATHS } from '../renderValues.js';
import { button, details, note, paragraph, type EmailTemplate } from './layout.js';

export const standingOrderOutdated: EmailTemplate = {
  subject: 'Your {{brand.productName}} price changed: please approve a new standing order',
  preview: 'Your M-Pesa standing order pays {{orderAmount}}; your subscription now costs {{amount}}.',
  heading: 'Your standing order needs updating',
  blocks: [
    paragraph(
      'Your M-Pesa standing order pays {{orderAmount}} each period, but invoice {{invoiceNumber}} is for {{amount}}. ' +
        'This invoice will be asked for on your phone as usual.',
    ),
    details([
      ['Invoice', 'invoiceNumber'],
      ['Amount due', 'amount'],
      ['Your standing order pays', 'orderAmount'],
    ]),
    paragraph(
      'To go back to paying automatically, cancel the old standing order in M-Pesa (M-Pesa Ratiba, or *334#) and ' +
        'set up a new one for your subscription.',
    ),
    note('Anything the old standing order still pays is kept as credit for your next invoices.'),
    button('Set up a new standing order', 'billingUrl'),
  ],
  variables: (values) => ({
    invoiceNumber: values.text('invoiceNumber'),
    amount: values.money(),
    orderAmount: values.money('orderAmount'),
    billingUrl: values.link(LINK_PATHS.billing),
  }),
};
