// A local M-Pesa sandbox on a free port, with the settings that point the API and the worker at it.
import { createMpesaSandbox, type MpesaSandbox, type MpesaSandboxOptions } from '../../sandboxes/mpesa/server.js';

const CREDENTIALS = { consumerKey: 'ck', consumerSecret: 'cs', passkey: 'pk' } as const;

export async function listeningMpesaSandbox(
  options: Partial<MpesaSandboxOptions> = {},
): Promise<{ sandbox: MpesaSandbox; settings: Record<string, string> }> {
  const sandbox = createMpesaSandbox({ ...CREDENTIALS, ...options });
  const port = await sandbox.listen(0, '127.0.0.1');
  return {
    sandbox,
    settings: {
      MPESA_BASE_URL: `http://127.0.0.1:${port}`,
      MPESA_CONSUMER_KEY: CREDENTIALS.consumerKey,
      MPESA_CONSUMER_SECRET: CREDENTIALS.consumerSecret,
      MPESA_PASSKEY: CREDENTIALS.passkey,
    },
  };
}
