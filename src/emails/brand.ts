import type { Brand } from './render.js';

/** The brand emails are rendered with: the BRAND_* settings, and PUBLIC_URL as the base of every link. */
export function brandFrom(config: {
  emails: { brand: Omit<Brand, 'publicUrl'> };
  payments: { publicUrl: string };
}): Brand {
  return { ...config.emails.brand, publicUrl: config.payments.publicUrl };
}
