// Data: fromPlanName, toPlanName, effectiveAt (now for an immediate change, the period end for a scheduled one);
// optional amount + currency (+ interval, intervalCount): the new plan's price; optional creditAmount (same currency):
// what a change to a lower price made now credited for the unused time.
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
      ['Credit for unused time', 'credit', 'optional'],
      ['Takes effect', 'effectiveAt'],
    ]),
    paragraph(
      'A change that takes effect before the end of a billing period is prorated: the difference for the rest of ' +
        'that period is invoiced at once, or, for a lower price, credited to your account and taken off your next ' +
        'invoices.',
    ),
    button('Manage your subscription', 'billingUrl'),
  ],
  variables: (values) => ({
    fromPlanName: values.text('fromPlanName'),
    toPlanName: values.text('toPlanName'),
    effectiveAt: values.date('effectiveAt'),
    price: values.has('amount') ? values.price() : undefined,
    credit: values.optionalMoney('creditAmount'),
    billingUrl: values.url('billingUrl', () => values.link(LINK_PATHS.billing)),
  }),
};
