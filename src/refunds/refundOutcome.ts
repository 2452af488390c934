// What a provider said about a refund, in one shape for both providers.
export type RefundOutcome =
  /** The money went back (PayPal COMPLETED; M-Pesa reversal result 0). */
  | { kind: 'succeeded'; providerReference: string }
  /** Accepted, result later (PayPal PENDING; an M-Pesa reversal waiting for its result callback). */
  | { kind: 'pending'; providerReference: string | null; providerRequestId?: string | null }
  /** Refused: it will not go through on retry. The payment's reservation is released. */
  | { kind: 'failed'; code: string; message: string }
  /** Not reached or not answering: try again later. */
  | { kind: 'unavailable'; code: string; message: string };

/** Where a refund stands after an activity: the workflow waits while PENDING. */
export interface RefundProgress {
  refundId: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
}
