// Data: the action_required payload (src/workflows/subscription.ts; a hard decline, never retried as is):
// invoiceId, paymentId, failureCode, nextAttemptAt (null); optional invoiceNumber and amount + currency.
import { LINK_PATHS } from '../renderValues.js';
import { button, details, paragraph, type EmailTemplate } from './layout.js';

export const actionRequired: EmailTemplate = {
  subject: 'Action required: update your {{brand.productName}} payment method',
  preview: 'Your payment method was declined. Update it to keep your subscription.',
  heading: 'Please update your payment method',
  blocks: [
    paragraph(
      'Your payment method was declined, and trying it again will not help. Please add or update a payment ' +
        'method to keep your {{brand.productName}} subscription.',
    ),
    details([
      ['Invoice', 'invoiceNumber', 'optional'],
      ['Amount', 'amount', 'optional'],
      ['Reason code', 'failureCode', 'optional'],
    ]),
    button('Update payment method', 'paymentMethodUrl'),
    paragraph('Once it is updated, we will collect the open invoice with it.'),
  ],
  variables: (values) => ({
    invoiceNumber: values.optionalText('invoiceNumber'),
    amount: values.optionalMoney(),
    failureCode: values.optionalText('failureCode'),
    paymentMethodUrl: values.url('paymentMethodUrl', () => values.link(LINK_PATHS.paymentMethod)),
  }),
};
