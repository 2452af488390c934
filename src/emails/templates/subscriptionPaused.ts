// Data: pausedAt; optional resumesAt (when the pause has an end).
import { LINK_PATHS } from '../renderValues.js';
import { button, paragraph, type EmailTemplate } from './layout.js';

export const subscriptionPaused: EmailTemplate = {
  subject: 'Your {{brand.productName}} subscription is paused',
  preview: 'You will not be charged while it is paused.',
  heading: 'Your subscription is paused',
  blocks: [
    paragraph(
      'Your {{brand.productName}} subscription is paused as of {{pausedAt}}. You will not be charged while it is paused.',
    ),
    paragraph('It resumes automatically on {{resumesAt}}.', 'resumesAt'),
    paragraph('You can resume it at any time from your billing page.'),
    button('Manage your subscription', 'billingUrl'),
  ],
  variables: (values) => ({
    pausedAt: values.date('pausedAt'),
    resumesAt: values.optionalDate('resumesAt'),
    billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
  }),
};
