// Data: the subscription_expired payload (src/billing/endSubscription.ts, a first invoice never paid): reason,
// endedAt.
import { LINK_PATHS } from '../renderValues.js';
import { button, paragraph, type EmailTemplate } from './layout.js';
import { endReasonText } from './endReasons.js';

export const subscriptionExpired: EmailTemplate = {
  subject: 'Your {{brand.productName}} subscription did not start',
  preview: 'The first payment was not completed in time.',
  heading: 'Your subscription did not start',
  blocks: [
    paragraph(
      'Your {{brand.productName}} subscription expired on {{endedAt}} because the first payment was not completed ' +
        'in time. Nothing was charged.',
    ),
    paragraph('If you still want it, you can subscribe again at any time.'),
    button('Subscribe again', 'billingUrl'),
  ],
  variables: (values) => {
    // Read for validation only: every expiry has the same cause, but a malformed payload should not go out.
    endReasonText(values);
    return {
      endedAt: values.date('endedAt'),
      billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
    };
  },
};
