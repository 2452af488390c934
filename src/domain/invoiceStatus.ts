// The invoice state machine. docs/states.md shows it from here; anything not listed is refused.
import { StateMachine } from './stateMachine.js';

export const INVOICE_STATUSES = ['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const invoiceMachine = new StateMachine<InvoiceStatus>('invoice', INVOICE_STATUSES, [
  { from: '[*]', to: 'OPEN', when: 'issued (a period, or a plan change made NOW)' },
  { from: 'DRAFT', to: 'OPEN', when: 'finalized (nothing writes DRAFT yet)' },
  {
    from: 'OPEN',
    to: 'PAID',
    when: 'nothing remains: charges, offline payments and credit notes settled it, or nothing was due',
  },
  { from: 'OPEN', to: 'VOID', when: 'the first payment expired (INCOMPLETE_EXPIRED), or voidInvoice' },
  {
    from: 'OPEN',
    to: 'UNCOLLECTIBLE',
    when: 'written off: dunning ended the subscription (AFTER_LAST_RETRY=CANCELED), or markInvoiceUncollectible',
  },
  // A charge the provider was already handling when the invoice was closed may still succeed: the money is recorded.
  { from: 'VOID', to: 'PAID', when: 'a payment started before it was voided succeeds' },
  {
    from: 'UNCOLLECTIBLE',
    to: 'PAID',
    when: 'a payment started before it was written off succeeds, or an offline payment settles it',
  },
  { from: 'PAID', to: '[*]', when: '' },
]);
