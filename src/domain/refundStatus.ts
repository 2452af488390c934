// The refund state machine. docs/states.md shows it from here; anything not listed is refused.
import { StateMachine } from './stateMachine.js';

export const REFUND_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const refundMachine = new StateMachine<RefundStatus>('refund', REFUND_STATUSES, [
  { from: '[*]', to: 'PENDING', when: 'requested: its amount reserved on the payment before the provider is called' },
  {
    from: 'PENDING',
    to: 'PENDING',
    when: 'provider accepted (reference recorded) or unavailable (retried); waiting for its result',
  },
  { from: 'PENDING', to: 'SUCCEEDED', when: 'the provider says the money went back' },
  { from: 'PENDING', to: 'FAILED', when: 'the provider refuses or times out: the reservation is released' },
  { from: 'SUCCEEDED', to: '[*]', when: '' },
  { from: 'FAILED', to: '[*]', when: '' },
]);
