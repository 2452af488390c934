// Data: the subscription_canceled payload (src/billing/endSubscription.ts): reason (an END_REASONS value), endedAt.
import { LINK_PATHS } from '../renderValues.js';
import { endReasonText } from './endReasons.js';
import { button, paragraph, type EmailTemplate } from './layout.js';

export const subscriptionCanceled: EmailTemplate = {
  subject: 'Your {{brand.productName}} subscription has been cancelled',
  preview: 'Your subscription ended on {{endedAt}}.',
  heading: 'Your subscription has been cancelled',
  blocks: [
    paragraph('Your {{brand.productName}} subscription ended on {{endedAt}}, {{because}}.'),
    paragraph('You will not be charged again. You are welcome back at any time.'),
    button('Subscribe again', 'billingUrl'),
  ],
  variables: (values) => ({
    endedAt: values.date('endedAt'),
    because: endReasonText(values),
    billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
  }),
};
