// Turns an outbox notice into an email: the customer it is for (name, locale, preferences), the invoice it is about
// (number, amount, a signed link to its page), the template, and for receipts the invoice as a PDF attachment.
// Reminders respect the customer's preferences; receipts and payment problems always go out.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, Invoice, OutboxMessage, Subscription } from '../entities/index.js';
import { loadInvoiceDocument } from '../invoices/invoiceDocument.js';
import { invoiceLinks, type InvoiceLinkSettings } from '../invoices/invoiceLinks.js';
import { renderInvoicePdf } from '../invoices/invoicePdf.js';
import type { Compose, Composed } from './deliverOutbox.js';
import { renderEmail, type Brand, type EmailKind } from './render.js';

export interface ComposeSettings {
  brand: Brand;
  links: InvoiceLinkSettings;
  defaultLocale: string;
  now?: () => Date;
}

/** Account emails are queued under their token kind (src/accounts/oneTimeTokens.ts). */
const ACCOUNT_KINDS: Partial<Record<string, EmailKind>> = {
  EMAIL_VERIFICATION: 'welcome_verify_email',
  PASSWORD_RESET: 'password_reset',
};

/** Which preference silences which kind; every other kind is always sent. */
const SILENCEABLE: Partial<Record<string, 'renewalReminders' | 'trialEndingReminders'>> = {
  renewal_reminder: 'renewalReminders',
  trial_ending: 'trialEndingReminders',
};

export function noticeComposer(settings: ComposeSettings): Compose {
  const now = settings.now ?? (() => new Date());
  return async (em: EntityManager, message: OutboxMessage): Promise<Composed> => {
    const subscription = message.subscriptionId
      ? await em.findOne(Subscription, { id: message.subscriptionId }, { populate: ['plan'] })
      : null;
    const customer = subscription
      ? await em.findOne(Customer, { id: subscription.customer.id })
      : await em.findOne(Customer, { email: message.recipient });
    const preference = SILENCEABLE[message.kind];
    if (preference && customer && !customer.preferences[preference]) {
      return { skip: `the customer turned off ${preference}` };
    }

    const data: Record<string, unknown> = { ...message.payload };
    if (subscription) data.planName ??= subscription.plan.name;
    let attachments: { filename: string; content: Buffer; contentType: string }[] | undefined;
    const invoiceId = typeof message.payload.invoiceId === 'string' ? message.payload.invoiceId : null;
    const invoice = invoiceId ? await em.findOne(Invoice, { id: invoiceId }) : null;
    if (invoice) {
      const { htmlUrl } = invoiceLinks(settings.links, invoice.id, now());
      data.invoiceNumber ??= invoice.number;
      if (data.amount === undefined) {
        data.amount = invoice.amountDue;
        data.currency = invoice.currency;
      }
      data.invoiceUrl = htmlUrl;
      // Paying happens in the customer's app or by the next attempt; the invoice page shows what is due.
      data.payUrl ??= htmlUrl;
      if (message.kind === 'payment_receipt') {
        const document = await loadInvoiceDocument(em, invoice.id, { publicUrl: settings.links.publicUrl });
        if (document) {
          attachments = [
            {
              filename: `${invoice.number}.pdf`,
              content: await renderInvoicePdf(document),
              contentType: 'application/pdf',
            },
          ];
        }
      }
    }
    const rendered = await renderEmail(
      {
        kind: (ACCOUNT_KINDS[message.kind] ?? message.kind) as EmailKind,
        recipientName: customer?.name ?? '',
        locale: customer?.locale ?? settings.defaultLocale,
        data,
      },
      settings.brand,
    );
    return { email: { ...rendered, ...(attachments ? { attachments } : {}) } };
  };
}
