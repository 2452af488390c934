// Paying the paybill from a phone, in tests: Daraja's C2B Simulate on the local sandbox (OAuth, then the request),
// and registering the API's paybill URLs there the way an operator does (MpesaProvider.registerPaybillUrls).
import { expect } from '@jest/globals';
import type { MpesaSandbox } from '../../sandboxes/mpesa/server.js';
import type { C2bTransaction } from '../../sandboxes/mpesa/server.js';
import { paybillUrls } from '../../src/payments/mpesa/c2b.js';
import { MpesaProvider } from '../../src/payments/mpesa/MpesaProvider.js';
import { until } from './eventually.js';

export const PAYBILL = '174379';

export async function registerPaybill(
  settings: Record<string, string>,
  apiUrl: string,
  callbackSecret: string,
): Promise<void> {
  const provider = new MpesaProvider({
    baseUrl: settings.MPESA_BASE_URL!,
    consumerKey: settings.MPESA_CONSUMER_KEY!,
    consumerSecret: settings.MPESA_CONSUMER_SECRET!,
    passkey: settings.MPESA_PASSKEY!,
    shortcode: PAYBILL,
    callbackUrl: `${apiUrl}/webhooks/mpesa/${callbackSecret}`,
  });
  expect(await provider.registerPaybillUrls(paybillUrls(apiUrl, callbackSecret, 'Completed'))).toEqual({ ok: true });
}

/** A customer pays `shillings` to the paybill, typing `account`; resolves with the sandbox's record once it is done. */
export async function payFromPhone(
  sandbox: MpesaSandbox,
  settings: Record<string, string>,
  payment: { shillings: number; account: string; phone?: string },
): Promise<C2bTransaction> {
  const base = settings.MPESA_BASE_URL!;
  const basic = Buffer.from(`${settings.MPESA_CONSUMER_KEY}:${settings.MPESA_CONSUMER_SECRET}`).toString('base64');
  const token = (await (
    await fetch(`${base}/oauth/v1/generate?grant_type=client_credentials`, {
      headers: { authorization: `Basic ${basic}` },
    })
  ).json()) as { access_token: string };
  const before = sandbox.c2bTransactions().length;
  const response = await fetch(`${base}/mpesa/c2b/v1/simulate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ShortCode: PAYBILL,
      CommandID: 'CustomerPayBillOnline',
      Amount: payment.shillings,
      Msisdn: payment.phone ?? '254708374149',
      BillRefNumber: payment.account,
    }),
  });
  expect(await response.json()).toMatchObject({ ResponseCode: '0' });
  let done: C2bTransaction | undefined;
  await until(async () => {
    done = sandbox.c2bTransactions()[before];
    const finished =
      done !== undefined && (done.outcome === 'cancelled' || done.confirmations.some((c) => c.status === 200));
    expect(finished).toBe(true);
  }, 20_000);
  return done!;
}
