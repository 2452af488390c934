// The eTIMS adapter over HTTP: one sale to the control unit's /trnsSales/saveSales (KRA's VSCU/OSCU
// specification; sandboxes/etims is the local stand-in). Amounts leave as exact decimal strings' numbers, built
// from minor units, never by float arithmetic. A result code other than "000" is a refusal naming KRA's message.
import { toDecimalString } from '../../domain/money.js';
import { ETIMS_TAX_TYPES, type EtimsPort, type EtimsReceipt, type EtimsSale } from './etimsPort.js';

export interface EtimsSettings {
  /** The control unit's base URL (ETIMS_URL). */
  url: string;
  /** The seller's PIN as the device is registered (tin), its branch (bhfId) and communication key (cmcKey). */
  tin: string;
  branchId: string;
  communicationKey: string;
  /** Where the QR code a receipt prints points to; KRA's receipt verification page. */
  qrBaseUrl: string;
}

export class EtimsRefusal extends Error {
  constructor(
    readonly resultCode: string,
    message: string,
  ) {
    super(`eTIMS refused the sale (${resultCode}): ${message}`);
  }
}

const RATE_PERCENT = { A: 0, B: 16, C: 0, D: 0, E: 8 } as const;

export function saleBody(sale: EtimsSale, settings: Pick<EtimsSettings, 'tin' | 'branchId'>) {
  const decimal = (amount: number) => Number(toDecimalString({ amount, currency: sale.currency }));
  const perType = Object.fromEntries(
    ETIMS_TAX_TYPES.flatMap((letter) => [
      [`taxblAmt${letter}`, decimal(sale.totals[letter].taxable)],
      [`taxRt${letter}`, RATE_PERCENT[letter]],
      [`taxAmt${letter}`, decimal(sale.totals[letter].tax)],
    ]),
  );
  const taxable = ETIMS_TAX_TYPES.reduce((sum, letter) => sum + sale.totals[letter].taxable, 0);
  const tax = ETIMS_TAX_TYPES.reduce((sum, letter) => sum + sale.totals[letter].tax, 0);
  return {
    tin: settings.tin,
    bhfId: settings.branchId,
    invcNo: sale.invoiceNumber,
    trdInvcNo: sale.invoiceId,
    custTin: sale.buyerPin,
    salesTyCd: 'N',
    rcptTyCd: 'S',
    pmtTyCd: '01',
    salesSttsCd: '02',
    cfmDt: sale.issuedAt.toISOString().replace(/\D/g, '').slice(0, 14),
    totItemCnt: sale.items.length,
    ...perType,
    totTaxblAmt: decimal(taxable),
    totTaxAmt: decimal(tax),
    totAmt: decimal(sale.total),
    itemList: sale.items.map((item) => ({
      itemSeq: item.itemSeq,
      itemClsCd: item.itemClsCd,
      itemNm: item.itemNm,
      qty: item.qty,
      prc: decimal(item.unitAmount),
      splyAmt: decimal(item.amount),
      taxTyCd: item.taxTyCd,
      taxblAmt: decimal(item.amount),
      totAmt: decimal(item.amount),
    })),
  };
}

export function httpEtims(settings: EtimsSettings, fetchImpl: typeof fetch = fetch): EtimsPort {
  return {
    async submitSale(sale: EtimsSale): Promise<EtimsReceipt> {
      const response = await fetchImpl(`${settings.url.replace(/\/+$/, '')}/trnsSales/saveSales`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          tin: settings.tin,
          bhfId: settings.branchId,
          cmcKey: settings.communicationKey,
        },
        body: JSON.stringify(saleBody(sale, settings)),
      });
      const answer = (await response.json()) as {
        resultCd: string;
        resultMsg: string;
        data: { curRcptNo: number; intrlData: string; rcptSign: string; sdcDateTime: string } | null;
      };
      if (answer.resultCd !== '000' || !answer.data) throw new EtimsRefusal(answer.resultCd, answer.resultMsg);
      const { curRcptNo, intrlData, rcptSign, sdcDateTime } = answer.data;
      const receiptNumber = String(curRcptNo);
      const query = new URLSearchParams({ tin: settings.tin, bhfId: settings.branchId, rcptSign });
      return {
        receiptNumber,
        signature: rcptSign,
        internalData: intrlData,
        qrCodeUrl: `${settings.qrBaseUrl}?${query.toString()}`,
        signedAt: new Date(sdcDateTime.replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3T$4:$5:$6Z')),
      };
    },
  };
}
