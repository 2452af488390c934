import { z } from 'zod';
import { normalizePhone } from '../domain/phone.js';
import { isKraPin, normalizeKraPin } from '../domain/taxCategories.js';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const addressSchema = z.object({
  line1: text(200),
  line2: text(200).nullish(),
  city: text(100),
  region: text(100).nullish(),
  postalCode: text(20).nullish(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. KE'),
});

export const preferencesSchema = z.object({
  renewalReminders: z.boolean().default(true),
  trialEndingReminders: z.boolean().default(true),
  productUpdates: z.boolean().default(false),
});

const locale = z.string().refine((value) => {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}, 'must be a BCP 47 locale such as en-KE or sw-KE');

const phone = z.string().transform((value, context) => {
  const normalized = normalizePhone(value);
  if (!normalized) {
    context.addIssue({
      code: 'custom',
      message: 'must be a phone number in E.164 form such as +254712345678 (or 0712345678 in Kenya)',
    });
    return z.NEVER;
  }
  return normalized;
});

const kraPin = z
  .string()
  .transform(normalizeKraPin)
  .refine(isKraPin, 'must be a KRA PIN: a letter, nine digits and a letter, e.g. A123456789Z');

export const customerFields = {
  email: z.string().trim().toLowerCase().email('must be an email address'),
  name: text(200),
  externalId: text(200).nullish().describe("Your app's id for this customer; unique per app."),
  phone: phone.nullish().describe('E.164 (+254712345678); Kenyan mobiles may be written 0712345678.'),
  address: addressSchema.nullish(),
  billingAddress: addressSchema.nullish(),
  locale: locale.optional(),
  preferences: preferencesSchema.optional(),
  kraPin: kraPin.nullish().describe('KRA PIN, e.g. A123456789Z: printed on their tax invoices.'),
  taxExempt: z
    .boolean()
    .optional()
    .describe('Holds a VAT exemption certificate: everything billed to them is EXEMPT. Not settable by the customer.'),
};
