// The seller printed on every invoice and credit note: the business's registered name, address and KRA PIN from
// configuration (SELLER_NAME, SELLER_ADDRESS, SELLER_KRA_PIN), else the default seller. A Kenyan tax invoice must name the supplier's PIN; without one configured the documents say nothing.
import { defaultSeller, type Seller } from './invoiceDocument.js';

export function sellerFromConfig(config: {
  seller: { name: string | null; kraPin: string | null; addressLines: string[] };
  payments: { publicUrl: string };
}): Seller {
  const { seller } = config;
  return {
    ...defaultSeller(config.payments.publicUrl.replace(/\/+$/, '')),
    ...(seller.name ? { name: seller.name } : {}),
    addressLines: seller.addressLines,
    taxNumber: seller.kraPin,
  };
}
