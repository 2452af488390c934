// Submits a finalized invoice to KRA's eTIMS once and stores the control unit's answer on it (docs/tax.md). Once
// by invoice id: a signed invoice is returned as it is, and the control unit itself answers a repeated invoice
// number with its first receipt, so a retry after a crash between its answer and our commit signs nothing twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from '../../kernel/errors.js';
import { Invoice, InvoiceLine } from '../../entities/index.js';
import type { EtimsPort } from './etimsPort.js';
import { etimsSale } from './etimsSale.js';

export interface EtimsSubmission {
  port: EtimsPort;
  /** The seller's KRA PIN (SELLER_KRA_PIN). */
  sellerPin: string;
  /** KRA item classification code for items whose product has none (ETIMS_ITEM_CLASSIFICATION_CODE). */
  classificationCode: string;
}

export async function submitInvoiceToEtims(
  rootEm: EntityManager,
  invoiceId: string,
  submission: EtimsSubmission,
): Promise<Invoice> {
  const em = rootEm.fork();
  const invoice = await em.findOne(Invoice, { id: invoiceId }, { populate: ['customer'] });
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  if (invoice.etimsReceiptNumber) return invoice;
  // Only a finalized invoice is a sale: a draft may change, a void one never happened.
  if (invoice.status !== 'OPEN' && invoice.status !== 'PAID') {
    throw new ConflictError(`invoice ${invoice.number} is ${invoice.status}: only OPEN or PAID invoices go to eTIMS`);
  }
  const lines = await em.find(InvoiceLine, { invoice }, { orderBy: { position: 'asc' } });
  const sale = etimsSale({
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    issuedAt: invoice.issuedAt,
    currency: invoice.currency,
    total: invoice.total,
    sellerPin: submission.sellerPin,
    buyerPin: invoice.customer.kraPin,
    lines,
    classificationCode: submission.classificationCode,
  });
  if ('refused' in sale) throw new ConflictError(`invoice ${invoice.number} cannot go to eTIMS: ${sale.refused}`);
  const receipt = await submission.port.submitSale(sale);
  // Written only where still unsigned: two submissions racing store one receipt (the same one, see above).
  await em.nativeUpdate(
    Invoice,
    { id: invoice.id, etimsReceiptNumber: null },
    {
      etimsReceiptNumber: receipt.receiptNumber,
      etimsSignature: receipt.signature,
      etimsInternalData: receipt.internalData,
      etimsQrCodeUrl: receipt.qrCodeUrl,
      etimsSignedAt: receipt.signedAt,
    },
  );
  return rootEm.fork().findOneOrFail(Invoice, { id: invoice.id });
}
