// Data: resumedAt; optional renewsAt (the next charge) and amount + currency (+ interval, intervalCount).
import { LINK_PATHS } from '../renderValues.js';
import { button, details, paragraph, type EmailTemplate } from './layout.js';

export const subscriptionResumed: EmailTemplate = {
  subject: 'Your {{brand.productName}} subscription has resumed',
  preview: 'Welcome back: your access is restored.',
  heading: 'Welcome back',
  blocks: [
    paragraph('Your {{brand.productName}} subscription resumed on {{resumedAt}} and your access is restored.'),
    details([
      ['Price', 'price', 'optional'],
      ['Next renewal', 'renewsAt', 'optional'],
    ]),
    button('Manage your subscription', 'billingUrl'),
  ],
  variables: (values) => ({
    resumedAt: values.date('resumedAt'),
    price: values.has('amount') ? values.price() : undefined,
    renewsAt: values.optionalDate('renewsAt'),
    billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
  }),
};
