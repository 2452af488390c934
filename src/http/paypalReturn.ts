// Where PayPal sends the buyer back after the approval page (return_url / cancel_url, with ?token=<order id>).
// Approval is not payment: the workflow is woken to capture the order, and the page says the payment is being
// confirmed. What the buyer's browser brings is trusted for nothing beyond "look at this order now".
import type { EntityManager } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { paymentByReference } from '../payments/webhooks/paymentByReference.js';
import type { PaymentNotifier } from '../temporal/notifyPayment.js';

/** `forwardTo`: a page of this site the browser moves on to by itself a second later (no script needed). */
function page(title: string, message: string, link = '', forwardTo?: string): string {
  const forward = forwardTo ? `<meta http-equiv="refresh" content="1; url=${forwardTo}">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">${forward}</head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; line-height: 1.5">
<h1>${title}</h1><p>${message}</p>${link}</body></html>`;
}

export function paypalReturnRoutes(options: {
  em: EntityManager;
  notify: PaymentNotifier;
  /** Whether this process serves the customer portal (web/), whose subscription page follows the payment. */
  portal: boolean;
}): Router {
  const router = express.Router();
  router.get('/payments/paypal/return', async (req, res, next) => {
    try {
      const orderId = typeof req.query.token === 'string' ? req.query.token : '';
      const matched = orderId ? await paymentByReference(options.em.fork(), 'PAYPAL', [orderId]) : null;
      if (!matched) {
        res.status(404).type('html').send(page('Payment not found', 'We could not find this PayPal payment.'));
        return;
      }
      await options.notify(matched.subscriptionId, matched.payment.id, matched.payment.invoice.id);
      // The customer portal (web/) follows the payment live on the subscription's page: go there when it is served.
      const invoiceParam = `invoice=${encodeURIComponent(matched.payment.invoice.id)}`;
      const portalPage = matched.subscriptionId
        ? `/subscriptions/${encodeURIComponent(matched.subscriptionId)}?${invoiceParam}`
        : `/invoices?${invoiceParam}`;
      const follow = options.portal ? `<p><a href="${portalPage}">Follow the payment</a></p>` : '';
      res
        .type('html')
        .send(
          page(
            'Thank you',
            'PayPal approved your payment. We are confirming it now; you can close this page.',
            follow,
            options.portal ? portalPage : undefined,
          ),
        );
    } catch (error) {
      next(error);
    }
  });
  router.get('/payments/paypal/cancel', (_req, res) => {
    res
      .type('html')
      .send(
        page(
          'Payment cancelled',
          'Nothing was charged. The approval link stays valid until the billing period ends, or you can choose another way to pay.',
        ),
      );
  });
  return router;
}
