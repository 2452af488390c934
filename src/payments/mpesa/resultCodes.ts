// STK result codes (callback ResultCode, STK Query ResultCode) to charge outcomes. Codes only, never texts.
import type { ChargeOutcome } from '../provider.js';

/** Failures the customer can retry (answer the prompt, top up, wait out the 2-minute duplicate rule). */
const SOFT_FAILURES: Readonly<Record<string, string>> = {
  '1': 'Insufficient M-Pesa balance',
  '17': 'Same amount to the same customer within 2 minutes',
  '1019': 'The M-Pesa prompt expired',
  '1032': 'The customer cancelled the M-Pesa prompt',
  '1037': 'The customer could not be reached or did not answer the M-Pesa prompt',
  '2001': 'Wrong M-Pesa PIN',
};

/** Failures that will not succeed on retry with this method. */
const HARD_FAILURES: Readonly<Record<string, string>> = {
  '8006': 'The customer’s M-Pesa PIN is locked',
};

/** The outcome of a decided STK transaction (not for 0, which is a success). */
export function failedResultOutcome(resultCode: string): Extract<ChargeOutcome, { kind: 'declined' }> {
  const hard = HARD_FAILURES[resultCode];
  if (hard) return { kind: 'declined', hard: true, code: resultCode, message: hard };
  const soft = SOFT_FAILURES[resultCode];
  // An unknown non-zero ResultCode is still a final failure of this prompt; a new prompt may succeed.
  return { kind: 'declined', hard: false, code: resultCode, message: soft ?? `M-Pesa payment failed (${resultCode})` };
}
