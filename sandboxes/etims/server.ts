// A local stand-in for KRA's eTIMS VSCU/OSCU sales endpoint, for development and tests: POST /trnsSales/saveSales
// with the `tin`, `bhfId` and `cmcKey` headers and a sales body shaped like KRA's published specification
// (taxblAmtA..E, taxAmtA..E, itemList, amounts as decimals). It checks what KRA checks that matters to us (tax =
// taxable × rate per tax type, the totals add up), signs the receipt, and answers the same invoice number again
// with the same receipt. It imports nothing from src/: it is a second reading of the documents (README.md).
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

const RATES: Record<string, number> = { A: 0, B: 16, C: 0, D: 0, E: 8 };
const LETTERS = ['A', 'B', 'C', 'D', 'E'];

interface Receipt {
  curRcptNo: number;
  totRcptNo: number;
  intrlData: string;
  rcptSign: string;
  sdcDateTime: string;
}

export interface EtimsSandbox {
  url: string;
  /** Receipts by invoice number, as the control unit keeps them. */
  receipts: Map<string, Receipt>;
  /** Invoice numbers of every sale it accepted, repeats included, in the order they came. */
  sales: string[];
  /** Each accepted invoice's items as first sent: name and KRA item classification code. */
  items: Map<string, { itemNm: string; itemClsCd: string }[]>;
  close(): Promise<void>;
}

function answer(resultCd: string, resultMsg: string, data: unknown = null) {
  return { resultCd, resultMsg, resultDt: new Date().toISOString().replace(/\D/g, '').slice(0, 14), data };
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** "000" accepted; "881" malformed; "910" checks failed; "894" unknown device: the codes KRA's samples use. */
function check(sale: Record<string, unknown>): string | null {
  if (typeof sale.invcNo !== 'string' || !Array.isArray(sale.itemList)) return 'invcNo and itemList are required';
  const unclassified = (sale.itemList as { itemClsCd?: unknown }[]).findIndex(
    (item) => typeof item.itemClsCd !== 'string' || !/^\d{6,10}$/.test(item.itemClsCd),
  );
  if (unclassified >= 0) return `itemList[${unclassified}].itemClsCd is not a KRA item classification code`;
  let total = 0;
  for (const letter of LETTERS) {
    const taxable = Number(sale[`taxblAmt${letter}`] ?? 0);
    const tax = Number(sale[`taxAmt${letter}`] ?? 0);
    const expected = Math.round(((taxable * RATES[letter]!) / 100) * 100) / 100;
    // KRA tolerates a rounding difference of one unit of the last shown decimal on a category total.
    if (Math.abs(expected - tax) > 0.011) return `taxAmt${letter} ${tax} is not ${RATES[letter]} % of ${taxable}`;
    total += taxable + tax;
  }
  if (Math.abs(total - Number(sale.totAmt)) > 0.001) return `totAmt ${String(sale.totAmt)} is not the sum ${total}`;
  return null;
}

export async function startEtimsSandbox(options: { port?: number; cmcKey?: string; secret?: string } = {}) {
  const receipts = new Map<string, Receipt>();
  const sales: string[] = [];
  const items = new Map<string, { itemNm: string; itemClsCd: string }[]>();
  const secret = options.secret ?? 'etims-sandbox';
  const server: Server = createServer((req, res) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || req.url !== '/trnsSales/saveSales') return send(404, answer('999', 'no such route'));
    if (!req.headers.tin || !req.headers.bhfid || (options.cmcKey && req.headers.cmckey !== options.cmcKey)) {
      return send(200, answer('894', 'unknown device: check tin, bhfId and cmcKey'));
    }
    body(req)
      .then((parsed) => {
        const sale = parsed as Record<string, unknown>;
        const problem = check(sale);
        if (problem) return send(200, answer(sale.invcNo ? '910' : '881', problem));
        const key = `${String(req.headers.tin)}/${String(sale.invcNo)}`;
        sales.push(String(sale.invcNo));
        const earlier = receipts.get(key);
        if (earlier) return send(200, answer('000', 'It is succeeded', earlier));
        const number = receipts.size + 1;
        const intrlData = createHash('sha256').update(JSON.stringify(sale)).digest('base64url').slice(0, 26);
        const receipt: Receipt = {
          curRcptNo: number,
          totRcptNo: number,
          intrlData,
          rcptSign: createHmac('sha256', secret).update(`${key}/${intrlData}`).digest('base64url').slice(0, 16),
          sdcDateTime: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
        };
        receipts.set(key, receipt);
        const list = sale.itemList as { itemNm: string; itemClsCd: string }[];
        items.set(
          String(sale.invcNo),
          list.map(({ itemNm, itemClsCd }) => ({ itemNm, itemClsCd })),
        );
        return send(200, answer('000', 'It is succeeded', receipt));
      })
      .catch(() => send(200, answer('881', 'the body is not JSON')));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    receipts,
    sales,
    items,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } satisfies EtimsSandbox;
}
