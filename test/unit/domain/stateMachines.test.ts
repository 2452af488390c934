// The state machines are written once (src/domain/*Status.ts); docs/states.md shows them as they print themselves,
// and the code asks them before every change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { invoiceMachine } from '../../../src/domain/invoiceStatus.js';
import { paymentMachine } from '../../../src/domain/paymentStatus.js';
import { refundMachine } from '../../../src/domain/refundStatus.js';
import { standingOrderMachine } from '../../../src/domain/standingOrders.js';
import { IllegalTransitionError, StateMachine } from '../../../src/domain/stateMachine.js';
import { isEnded, subscriptionMachine } from '../../../src/domain/subscriptionStatus.js';

const statesPage = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'states.md'), 'utf8');

describe('state machines', () => {
  it.each([
    ['subscription', subscriptionMachine],
    ['invoice', invoiceMachine],
    ['payment', paymentMachine],
    ['refund', refundMachine],
    ['standing order', standingOrderMachine],
  ] as const)('docs/states.md shows the %s machine exactly as its table prints it', (_name, machine) => {
    expect(statesPage).toContain('```mermaid\n' + machine.mermaid() + '\n```');
  });

  it('refuses what the table does not list, naming the machine and both states; staying put is always allowed', () => {
    expect(() => invoiceMachine.assert('PAID', 'VOID')).toThrow(new IllegalTransitionError('invoice', 'PAID', 'VOID'));
    expect(() => invoiceMachine.assert('PAID', 'VOID')).toThrow('invoice cannot go from PAID to VOID');
    expect(() => paymentMachine.assert('FAILED', 'SUCCEEDED')).toThrow('payment cannot go from FAILED to SUCCEEDED');
    expect(invoiceMachine.can('OPEN', 'PAID')).toBe(true);
    expect(paymentMachine.can('SUCCEEDED', 'SUCCEEDED')).toBe(true);
    expect(() => refundMachine.assert('FAILED', 'SUCCEEDED')).toThrow('refund cannot go from FAILED to SUCCEEDED');
    expect(() => refundMachine.assert('SUCCEEDED', 'FAILED')).toThrow('refund cannot go from SUCCEEDED to FAILED');
  });

  it('derives the ended subscription statuses from the table: those that go nowhere', () => {
    expect(subscriptionMachine.states.filter(isEnded)).toEqual(['INCOMPLETE_EXPIRED', 'CANCELED']);
  });

  it('refuses a table that names a state it does not have', () => {
    expect(() => new StateMachine('toy', ['A', 'B'], [{ from: 'A', to: 'C' as 'B', when: '' }])).toThrow(
      'toy: unknown state C',
    );
  });
});
