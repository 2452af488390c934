// Data: the renewal_reminder payload (src/workflows/subscription.ts): renewsAt; optional amount + currency (what the
// renewal will charge).
import { LINK_PATHS } from '../renderValues.js';
import { button, paragraph, type EmailTemplate } from './layout.js';

export const renewalReminder: EmailTemplate = {
  subject: 'Your {{brand.productName}} subscription renews on {{renewsAt}}',
  preview: 'A reminder before your next billing period starts.',
  heading: 'Your subscription renews soon',
  blocks: [
    paragraph('Your {{brand.productName}} subscription renews on {{renewsAt}}.'),
    paragraph('We will charge {{amount}} to your saved payment method.', 'amount'),
    paragraph('Nothing to do if you want to continue. To change your plan or cancel, visit your billing page.'),
    button('Manage your subscription', 'billingUrl'),
  ],
  variables: (values) => ({
    renewsAt: values.date('renewsAt'),
    amount: values.optionalMoney(),
    billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
  }),
};
