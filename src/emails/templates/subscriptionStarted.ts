// Data: planName, amount + currency (the recurring price, minor units), optional interval + intervalCount (the
// plan's), trialEnd (when it starts with a trial) and renewsAt (the first renewal).
import { LINK_PATHS } from '../renderValues.js';
import { button, details, paragraph, type EmailTemplate } from './layout.js';

export const subscriptionStarted: EmailTemplate = {
  subject: 'Your {{planName}} subscription has started',
  preview: 'Thank you for subscribing to {{brand.productName}}. Here are the details of your plan.',
  heading: 'Your subscription has started',
  blocks: [
    paragraph('Thank you for subscribing to {{brand.productName}}. Your {{planName}} plan is now active.'),
    paragraph('Your free trial runs until {{trialEnd}}; your first charge is at the end of it.', 'trialEnd'),
    details([
      ['Plan', 'planName'],
      ['Price', 'price'],
      ['Trial ends', 'trialEnd', 'optional'],
      ['Next renewal', 'renewsAt', 'optional'],
    ]),
    button('Manage your subscription', 'billingUrl'),
  ],
  variables: (values) => ({
    planName: values.text('planName'),
    price: values.price(),
    trialEnd: values.optionalDate('trialEnd'),
    renewsAt: values.optionalDate('renewsAt'),
    billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
  }),
};
