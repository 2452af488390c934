// The eTIMS adapter against the local stand-in over HTTP: a mixed-category sale is accepted and signed, the same
// invoice sent again gets the same receipt, a wrong tax amount and an unknown device are refused with KRA's codes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEtimsSandbox, type EtimsSandbox } from '../../sandboxes/etims/server.js';
import type { EtimsSale } from '../../src/tax/etims/etimsPort.js';
import { EtimsRefusal, httpEtims, type EtimsSettings } from '../../src/tax/etims/httpEtims.js';

const sale: EtimsSale = {
  invoiceId: '00000000-0000-4000-8000-000000000042',
  invoiceNumber: 'INV-2032-000042',
  sellerPin: 'P051234567Q',
  buyerPin: 'A123456789Z',
  issuedAt: new Date('2032-01-05T10:00:00Z'),
  currency: 'KES',
  items: [
    {
      itemSeq: 1,
      itemClsCd: '8111150000',
      itemNm: 'Pro monthly',
      qty: 1,
      unitAmount: 250_000,
      amount: 250_000,
      taxTyCd: 'B',
    },
    {
      itemSeq: 2,
      itemClsCd: '8111150000',
      itemNm: 'Export support',
      qty: 1,
      unitAmount: 50_000,
      amount: 50_000,
      taxTyCd: 'C',
    },
  ],
  totals: {
    A: { taxable: 0, tax: 0 },
    B: { taxable: 250_000, tax: 40_000 },
    C: { taxable: 50_000, tax: 0 },
    D: { taxable: 0, tax: 0 },
    E: { taxable: 0, tax: 0 },
  },
  total: 340_000,
};

describe('eTIMS adapter against the stand-in', () => {
  let sandbox: EtimsSandbox;
  let settings: EtimsSettings;
  beforeAll(async () => {
    sandbox = await startEtimsSandbox({ cmcKey: 'key-1' });
    settings = {
      url: sandbox.url,
      tin: 'P051234567Q',
      branchId: '00',
      communicationKey: 'key-1',
      qrBaseUrl: 'https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData',
    };
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('submits a sale once: the same invoice sent again returns the same signed receipt', async () => {
    const etims = httpEtims(settings);
    const first = await etims.submitSale(sale);
    expect(first.signature).toMatch(/^[\w-]{16}$/);
    expect(first.qrCodeUrl).toContain(`rcptSign=${first.signature}`);
    expect(await etims.submitSale(sale)).toEqual(first);
    expect(sandbox.receipts.size).toBe(1);
  });

  it('is refused, with KRA’s code, for a wrong tax amount or an unknown device', async () => {
    const wrong = {
      ...sale,
      invoiceNumber: 'INV-2032-000043',
      totals: { ...sale.totals, B: { taxable: 250_000, tax: 39_000 } },
      total: 339_000,
    };
    await expect(httpEtims(settings).submitSale(wrong)).rejects.toThrow(
      new EtimsRefusal('910', 'taxAmtB 390 is not 16 % of 2500'),
    );
    await expect(httpEtims({ ...settings, communicationKey: 'other' }).submitSale(sale)).rejects.toMatchObject({
      resultCode: '894',
    });
  });
});
