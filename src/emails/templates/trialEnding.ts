// Data: the trial_ending payload (src/workflows/subscription.ts): trialEnd; optional amount + currency (+ interval,
// intervalCount): what the subscription costs after the trial.
import { LINK_PATHS } from '../renderValues.js';
import { button, paragraph, type EmailTemplate } from './layout.js';

export const trialEnding: EmailTemplate = {
  subject: 'Your {{brand.productName}} trial ends on {{trialEnd}}',
  preview: 'Make sure your payment method is up to date to keep your access.',
  heading: 'Your trial ends soon',
  blocks: [
    paragraph('Your free trial of {{brand.productName}} ends on {{trialEnd}}.'),
    paragraph('From then on your subscription costs {{amount}}.', 'amount'),
    paragraph(
      'To keep your access without a break, check that your payment method is up to date. Without one, the ' +
        'subscription cannot continue after the trial.',
    ),
    button('Check my payment method', 'paymentMethodUrl'),
  ],
  variables: (values) => ({
    trialEnd: values.date('trialEnd'),
    amount: values.has('amount') ? values.price() : undefined,
    paymentMethodUrl: values.url('paymentMethodUrl', () => values.link(LINK_PATHS.paymentMethod)),
  }),
};
