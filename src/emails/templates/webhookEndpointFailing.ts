// Data: the webhook_endpoint_failing payload (src/webhooks/delivery/deliveryStore.ts): endpointUrl, appName,
// failingSince. To the administrators: a client app's endpoint refused or missed a delivery for three days.
import { details, note, paragraph, type EmailTemplate } from './layout.js';

export const webhookEndpointFailing: EmailTemplate = {
  subject: 'A webhook endpoint of {{appName}} is failing',
  preview: 'Deliveries to it have failed for three days.',
  heading: 'A webhook endpoint is failing',
  blocks: [
    paragraph(
      'An event could not be delivered to this endpoint of {{appName}} for three days, so its delivery was given ' +
        'up and the endpoint is marked FAILING. New events are still sent to it; its first success enables it again.',
    ),
    details([
      ['Endpoint', 'endpointUrl'],
      ['Failing since', 'failingSince'],
    ]),
    note(
      'Ask the app to check its receiver, then resend what it missed with resendEvent, or let it catch up with ' +
        'the events query (docs/webhooks.md).',
    ),
  ],
  variables: (values) => ({
    appName: values.text('appName'),
    endpointUrl: values.text('endpointUrl'),
    failingSince: values.dateTime('failingSince'),
  }),
};
