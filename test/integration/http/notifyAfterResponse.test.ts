// A provider's callback wakes the workflow after the answer, and also when the provider hung up before the answer
// (a loaded API answering slower than Daraja waits): its repeat is a DUPLICATE and wakes nobody, so the first one must.
import { createServer, request, type Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, expect, it } from '@jest/globals';
import express from 'express';
import type { MatchedPayment } from '../../../src/payments/webhooks/paymentByReference.js';
import { notifyAfterResponse } from '../../../src/http/webhooks.js';
import { eventually } from '../../support/eventually.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/**
 * An endpoint that takes `recordMs` to record a callback about payment `p1`, then asks for its workflow to be woken
 * after the answer, and answers `answerAfterMs` later.
 */
async function slowEndpoint(answerAfterMs: number, woken: string[], recordMs = 0): Promise<string> {
  const app = express();
  const matched = { subscriptionId: 's1', payment: { id: 'p1', invoice: { id: 'i1' } } } as unknown as MatchedPayment;
  app.post('/callback', async (_req, res) => {
    await delay(recordMs);
    notifyAfterResponse(res, async (subscriptionId, paymentId) => void woken.push(`${subscriptionId}/${paymentId}`), {
      status: 'ACCEPTED',
      matched,
    });
    await delay(answerAfterMs);
    if (!res.headersSent && !res.destroyed) res.json({ received: true });
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/callback`;
}

it('wakes the workflow once the answer is sent', async () => {
  const woken: string[] = [];
  const response = await fetch(await slowEndpoint(10, woken), { method: 'POST' });
  expect(response.status).toBe(200);
  await eventually('woken', async () => (woken.length ? woken : undefined));
  expect(woken).toEqual(['s1/p1']);
});

/** Posts to `url` and hangs up after 100 ms without an answer, as Daraja does after its own timeout. */
const hangUpAfter100ms = (url: string) =>
  new Promise<void>((resolve) => {
    const req = request(url, { method: 'POST', timeout: 100 });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve());
    req.end();
  });

it('wakes the workflow when the provider hangs up before the answer', async () => {
  const woken: string[] = [];
  await hangUpAfter100ms(await slowEndpoint(1_000, woken));
  await eventually('woken', async () => (woken.length ? woken : undefined));
  expect(woken).toEqual(['s1/p1']);
});

it('wakes the workflow when the provider hung up while the delivery was being recorded', async () => {
  const woken: string[] = [];
  await hangUpAfter100ms(await slowEndpoint(0, woken, 400));
  await eventually('woken', async () => (woken.length ? woken : undefined));
  expect(woken).toEqual(['s1/p1']);
});
