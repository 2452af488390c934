// The payment (charge attempt) state machine. docs/states.md shows it from here; anything not listed is refused.
import { StateMachine } from './stateMachine.js';

export const PAYMENT_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const paymentMachine = new StateMachine<PaymentStatus>('payment', PAYMENT_STATUSES, [
  { from: '[*]', to: 'PENDING', when: 'row committed before the provider is called' },
  {
    from: 'PENDING',
    to: 'PENDING',
    when: 'provider accepted (reference recorded), or unavailable (failureCode noted, retried)',
  },
  { from: 'PENDING', to: 'SUCCEEDED', when: 'the provider, asked, says paid' },
  { from: 'PENDING', to: 'FAILED', when: 'the provider declines (hard or soft)' },
  { from: 'SUCCEEDED', to: '[*]', when: '' },
  { from: 'FAILED', to: '[*]', when: '' },
]);
