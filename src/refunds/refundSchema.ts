// What a refund request says, defined once: the use case parses it and the GraphQL input is built from it.
import { z } from 'zod';

export const requestRefundSchema = z.object({
  paymentId: z.string().uuid('must be a payment id (UUID)'),
  amount: z
    .number()
    .int('must be a whole number of minor units (cents)')
    .positive('must be more than zero')
    .max(Number.MAX_SAFE_INTEGER)
    .nullish()
    .describe('Minor units (cents); left out: everything still refundable.'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code')
    .nullish()
    .describe("When given, must be the payment's currency."),
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  idempotencyKey: z
    .string()
    .trim()
    .min(8, 'must be at least 8 characters')
    .max(200, 'must be at most 200 characters')
    .describe('Repeating a request with the same key returns the same refund instead of refunding twice.'),
  creditNoteId: z.string().uuid('must be a credit note id (UUID)').nullish(),
});

export type RequestRefundInput = z.input<typeof requestRefundSchema>;
