// Data: fromPlanName, toPlanName, effectiveAt (now for an immediate change, the period end for a scheduled one);
// optional amount + currency (+ interval, intervalCount): the new plan's price.
import { LINK_PATHS } from '../renderValues.js';
import { button, details, paragraph, type EmailTemplate } from './layout.js';

export const planChanged: EmailTemplate = {
  subject: 'Your plan: {{fromPlanName}} to {{toPlanName}}',
  preview: 'Your {{brand.productName}} plan changes to {{toPlanName}} on {{effectiveAt}}.',
  heading: 'Your plan is changing',
  blocks: [
    paragraph('Your {{brand.productName}} plan changes from {{fromPlanName}} to {{toPlanName}} on {{effectiveAt}}.'),
    details([
      ['Previous plan', 'fromPlanName'],
      ['New plan', 'toPlanName'],
      ['New price', 'price', 'optional'],
      ['Takes effect', 'effectiveAt'],
    ]),
    paragraph(
      'A change that takes effect before the end of a billing period is prorated: the difference for the rest of ' +
        'that period is invoiced at once.',
    ),
    button('Manage your subscription', 'billingUrl'),
  ],
  variables: (values) => ({
    fromPlanName: values.text('fromPlanName'),
    toPlanName: values.text('toPlanName'),
    effectiveAt: values.date('effectiveAt'),
    price: values.has('amount') ? values.price() : undefined,
    billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
  }),
};
