// M-Pesa in the customer's words: which phone numbers it can prompt, and why a prompt did not end in a payment.
import { isKenyanMobile, normalizePhone } from '../../../src/domain/phone.js';

export const MPESA_PHONE_RULE =
  'A Kenyan mobile number: 07XX XXX XXX or 01XX XXX XXX (10 digits), or 2547XX XXX XXX or 2541XX XXX XXX (12 digits).';

/** The number in E.164 when M-Pesa can prompt it, else null. */
export function mpesaPhone(input: string): string | null {
  const phone = normalizePhone(input);
  return phone && isKenyanMobile(phone) ? phone : null;
}

/** Daraja's ResultCodes (as the sandbox and the live API send them), said plainly. */
const RESULT_CODES: Record<string, string> = {
  '1': 'Your M-Pesa balance was not enough for this payment. Top up, then try again.',
  '17': 'M-Pesa refused a second payment of the same amount to the same number within two minutes. Wait two minutes, then try again.',
  '1019': 'The M-Pesa prompt expired before it was answered.',
  '1025': 'M-Pesa could not send the prompt to your phone. Try again.',
  '1032': 'You cancelled the M-Pesa prompt on your phone.',
  '1037':
    'Your phone could not be reached, or the prompt timed out. Check that the phone is on and has signal, then try again.',
  '2001': 'The M-Pesa PIN entered was wrong.',
  '8006': 'Your M-Pesa PIN is locked. Ask Safaricom to unlock it, or use another number.',
};

export function failureReason(payment: {
  provider: string;
  failureCode?: string | null;
  failureMessage?: string | null;
}): string {
  const known = payment.provider === 'MPESA' && payment.failureCode ? RESULT_CODES[payment.failureCode] : undefined;
  if (known) return known;
  if (payment.failureMessage) return `The payment did not go through: ${payment.failureMessage}.`;
  return 'The payment did not go through.';
}
