// PayPal-Request-Id values, all derived from the payment's idempotency key (invoice and attempt), so every path to
// the same PayPal call (the first charge, a retried activity, the capture after the buyer's return) sends the same
// id and PayPal acts once.

/** The capture of a first-payment order the buyer approved: one capture per payment, whoever asks first. */
export function captureRequestId(paymentIdempotencyKey: string): string {
  return `${paymentIdempotencyKey}-capture`;
}
