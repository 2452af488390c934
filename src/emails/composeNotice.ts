// Turns an outbox notice into an email: the customer it is for (name, locale, preferences), the invoice it is about
// (number, amount, a signed link to its page), the template, and for receipts the invoice as a PDF attachment.
// Reminders respect the customer's preferences; receipts and payment problems always go out.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, Invoice, OutboxMessage, Subscription } from '../entities/index.js';
import { loadInvoiceDocument, payByPaybill } from '../invoices/invoiceDocument.js';
import { creditNoteText, loadCreditNoteDocument } from '../invoices/creditNoteDocument.js';
import { documentLinks, invoiceLinks, type InvoiceLinkSettings } from '../invoices/invoiceLinks.js';
import { renderDocumentPdf, renderInvoicePdf } from '../invoices/invoicePdf.js';
import type { Compose, Composed } from './deliverOutbox.js';
import { renderEmail, type Brand, type EmailKind } from './render.js';

export interface ComposeSettings {
  brand: Brand;
  links: InvoiceLinkSettings;
  defaultLocale: string;
  /** Our M-Pesa paybill, printed on unpaid KES invoices (docs/paybill.md); null: not shown. */
  paybillShortCode?: string | null;
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
    const invoice = invoiceId ? await em.findOne(Invoice, { id: invoiceId }, { populate: ['customer'] }) : null;
    if (invoice) {
      const { htmlUrl } = invoiceLinks(settings.links, invoice.id, now());
      data.invoiceNumber ??= invoice.number;
      if (data.amount === undefined) {
        data.amount = invoice.amountDue;
        data.currency = invoice.currency;
      }
      data.invoiceUrl = htmlUrl;
      // Customers who would rather pay from their phone: the paybill and the account to type (docs/paybill.md).
      const paybill = payByPaybill(invoice, invoice.customer.accountNumber, settings.paybillShortCode ?? null);
      if (paybill) {
        data.paybillShortCode ??= paybill.shortCode;
        data.paybillAccount ??= `${paybill.account} (or your account number ${paybill.customerAccount})`;
      }
      // Paying happens in the customer's app or by the next attempt; the invoice page shows what is due.
      data.payUrl ??= htmlUrl;
      if (message.kind === 'payment_receipt') {
        const document = await loadInvoiceDocument(em, invoice.id, {
          publicUrl: settings.links.publicUrl,
          paybillShortCode: settings.paybillShortCode,
        });
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
    if (message.kind === 'credit_note_issued' && typeof message.payload.creditNoteId === 'string') {
      const note = await creditNoteAttachment(em, message.payload.creditNoteId, settings, now());
      if (note) {
        data.creditNoteUrl = note.url;
        attachments = [note.attachment];
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

/** A credit note's signed page link and its PDF, for the email that announces it. */
async function creditNoteAttachment(em: EntityManager, creditNoteId: string, settings: ComposeSettings, now: Date) {
  const document = await loadCreditNoteDocument(em, creditNoteId, { publicUrl: settings.links.publicUrl });
  if (!document) return null;
  return {
    url: documentLinks(settings.links, 'creditNote', creditNoteId, now).htmlUrl,
    attachment: {
      filename: `${document.number}.pdf`,
      content: await renderDocumentPdf(creditNoteText(document), document.issuedAt),
      contentType: 'application/pdf',
    },
  };
}
