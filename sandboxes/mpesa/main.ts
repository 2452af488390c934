/**
 * Runs the M-Pesa Daraja sandbox as a standalone HTTP server (see README.md next to this file).
 *
 *   MPESA_SANDBOX_PORT               port to listen on (default 4010; 0 picks a free one)
 *   MPESA_SANDBOX_HOST               interface (default 127.0.0.1)
 *   MPESA_CONSUMER_KEY / _SECRET     Basic credentials the OAuth endpoint accepts
 *   MPESA_PASSKEY                    Lipa Na M-Pesa passkey (default: Daraja's public sandbox passkey)
 *   MPESA_SHORTCODE                  paybill (default 174379, Daraja's test paybill)
 *   MPESA_SANDBOX_CALLBACK_DELAY_MS  how long the "customer" takes to answer a prompt (default 300)
 *   MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS  Daraja's "same phone and amount" window (default 120; 0: off)
 */
import { createMpesaSandbox } from './server.js';
import { closeOnSignals } from '../lib/closeOnSignals.js';

/** Daraja's published sandbox passkey for test paybill 174379. */
export const DARAJA_SANDBOX_PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';
export const SANDBOX_CONSUMER_KEY = 'sandbox-consumer-key';
export const SANDBOX_CONSUMER_SECRET = 'sandbox-consumer-secret';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const sandbox = createMpesaSandbox({
  consumerKey: process.env.MPESA_CONSUMER_KEY || SANDBOX_CONSUMER_KEY,
  consumerSecret: process.env.MPESA_CONSUMER_SECRET || SANDBOX_CONSUMER_SECRET,
  passkey: process.env.MPESA_PASSKEY || DARAJA_SANDBOX_PASSKEY,
  shortcode: process.env.MPESA_SHORTCODE || '174379',
  callbackDelayMs: intFromEnv('MPESA_SANDBOX_CALLBACK_DELAY_MS', 300),
  duplicateWindowSeconds: intFromEnv('MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS', 120),
});

const host = process.env.MPESA_SANDBOX_HOST || '127.0.0.1';
const port = await sandbox.listen(intFromEnv('MPESA_SANDBOX_PORT', 4010), host);
console.log(`M-Pesa Daraja sandbox listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`);

closeOnSignals('M-Pesa Daraja sandbox', () => sandbox.close());
