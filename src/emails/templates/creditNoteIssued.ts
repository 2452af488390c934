// Data: the credit_note_issued payload (src/creditNotes/issueCreditNote.ts): creditNoteId, creditNoteNumber,
// invoiceId, invoiceNumber, amount + currency, creditedToBalance, refundAmount, optional memo; creditNoteUrl (its page,
// a signed link) is added when composed, and the note's PDF is attached.
import type { TemplateValues } from '../renderValues.js';
import { button, details, note, paragraph, type EmailTemplate } from './layout.js';

export const creditNoteIssued: EmailTemplate = {
  subject: 'Credit note {{creditNoteNumber}}: {{amount}} off invoice {{invoiceNumber}}',
  preview: '{{brand.productName}} credited {{amount}} on invoice {{invoiceNumber}}.',
  heading: 'A credit note for you',
  blocks: [
    paragraph('We issued credit note {{creditNoteNumber}} for {{amount}} on invoice {{invoiceNumber}}.'),
    details([
      ['Credit note', 'creditNoteNumber'],
      ['Invoice', 'invoiceNumber'],
      ['Amount credited', 'amount'],
      ['Added to your balance', 'creditedToBalance', 'optional'],
      ['Refunded to you', 'refundAmount', 'optional'],
      ['Note', 'memo', 'optional'],
    ]),
    note(
      'Credit on your balance is used automatically on your next invoices. Refunds reach you through the way you paid.',
    ),
    button('View the credit note', 'creditNoteUrl', 'creditNoteUrl'),
  ],
  variables: (values) => ({
    creditNoteNumber: values.text('creditNoteNumber'),
    invoiceNumber: values.text('invoiceNumber'),
    amount: values.money(),
    creditedToBalance: positive(values, 'creditedToBalance'),
    refundAmount: positive(values, 'refundAmount'),
    memo: values.optionalText('memo'),
    creditNoteUrl: values.optionalUrl('creditNoteUrl'),
  }),
};

/** A part of the note shown only when it is there: zero parts are left out rather than printed as 0.00. */
function positive(values: TemplateValues, name: string): string | undefined {
  const text = values.optionalText(name);
  return text && Number(text) > 0 ? values.money(name) : undefined;
}
