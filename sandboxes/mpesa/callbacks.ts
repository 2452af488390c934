// Delivering callbacks to CallBackURL, with retries, late callbacks and a clean stop.
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { clearTimeout, setTimeout } from 'node:timers';
import { type CallbackDelivery, type StkCallbackEnvelope, type Transaction } from './protocol.js';
import type { MpesaSandboxState } from './state.js';
import { decide } from './stkPush.js';

export function track(state: MpesaSandboxState, promise: Promise<void>): void {
  state.inFlight.add(promise);
  void promise.finally(() => state.inFlight.delete(promise));
}

/** A wait that close() and reset(state, ) end early; so do the owners of `wakers`, if given. */
export function sleep(state: MpesaSandboxState, ms: number, wakers?: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      state.sleeps.delete(entry);
      wakers?.delete(entry.wake);
      resolve();
    };
    const entry = {
      timer: setTimeout(done, ms),
      wake: () => {
        clearTimeout(entry.timer);
        done();
      },
    };
    state.sleeps.add(entry);
    wakers?.add(entry.wake);
  });
}

export function post(state: MpesaSandboxState, url: string, payload: string): Promise<number> {
  return postReading(state, url, payload).then((answer) => answer.status);
}

/** POSTs `payload` and reads the answer's status and body (a C2B validation answer is read; callbacks' are not). */
export function postReading(
  state: MpesaSandboxState,
  url: string,
  payload: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    };
    const request = send(target, { method: 'POST', headers, timeout: state.callbackTimeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        state.outgoing.delete(handle);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', (error) => {
        state.outgoing.delete(handle);
        reject(error);
      });
    });
    const handle = { destroy: () => request.destroy(new Error('sandbox closed')) };
    state.outgoing.add(handle);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${state.callbackTimeoutMs} ms`)));
    request.on('error', (error) => {
      state.outgoing.delete(handle);
      reject(error);
    });
    request.end(payload);
  });
}

export async function deliver(state: MpesaSandboxState, tx: Transaction, body: StkCallbackEnvelope): Promise<void> {
  const started = state.generation;
  const payload = JSON.stringify(body);
  if (tx.outcome.callbackLateMs > 0) await sleep(state, tx.outcome.callbackLateMs, state.lateStarts);
  for (let attempt = 1; attempt <= state.retryDelays.length + 1; attempt++) {
    if (state.closed || state.generation !== started) return;
    const record: CallbackDelivery = { checkoutRequestId: tx.checkoutRequestId, url: tx.callbackUrl, attempt, body };
    try {
      record.status = await post(state, tx.callbackUrl, payload);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    if (state.generation !== started) return;
    state.deliveryLog.push(record);
    if (record.status !== undefined && record.status >= 200 && record.status < 300) return;
    const wait = state.retryDelays[attempt - 1];
    if (wait === undefined) return;
    await sleep(state, wait);
  }
}

export async function deliverPendingCallbacks(state: MpesaSandboxState): Promise<void> {
  for (const tx of [...state.transactions.values()]) decide(state, tx);
  for (const wake of [...state.lateStarts]) wake();
  while (state.inFlight.size > 0) await Promise.allSettled([...state.inFlight]);
}
