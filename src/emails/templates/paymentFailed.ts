// Data: the payment_failed payload (src/workflows/subscription.ts): invoiceId, paymentId, failureCode, nextAttemptAt
// (null after the last scheduled retry); optional invoiceNumber and amount + currency; paybillShortCode and
// paybillAccount, added when composed for an unpaid KES invoice (docs/paybill.md).
import { LINK_PATHS } from '../renderValues.js';
import { button, details, paragraph, type EmailTemplate } from './layout.js';

export const paymentFailed: EmailTemplate = {
  subject: 'Your {{brand.productName}} payment did not go through',
  preview: '{{retry}}',
  heading: 'Your payment did not go through',
  blocks: [
    paragraph('We could not collect the payment for your {{brand.productName}} subscription.'),
    details([
      ['Invoice', 'invoiceNumber', 'optional'],
      ['Amount', 'amount', 'optional'],
      ['Reason code', 'failureCode', 'optional'],
      ['Or pay by M-Pesa paybill', 'paybillShortCode', 'optional'],
      ['Account', 'paybillAccount', 'optional'],
    ]),
    paragraph('{{retry}}'),
    button('Pay now', 'payUrl'),
  ],
  variables: (values) => {
    const nextAttemptAt = values.optionalDateTime('nextAttemptAt');
    return {
      invoiceNumber: values.optionalText('invoiceNumber'),
      amount: values.optionalMoney(),
      failureCode: values.optionalText('failureCode'),
      paybillShortCode: values.optionalText('paybillShortCode'),
      paybillAccount: values.optionalText('paybillAccount'),
      retry: nextAttemptAt
        ? `We will try again on ${nextAttemptAt}. You can also pay now, or make sure your payment method has ` +
          'enough funds before then.'
        : 'We will not try again automatically. Please pay now to keep your subscription.',
      payUrl: values.url('payUrl', () => values.link(LINK_PATHS.payInvoice(values.text('invoiceId')))),
    };
  },
};
