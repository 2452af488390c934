// Provider routes refuse bodies they cannot read as a delivery with a 4xx naming what to send, never a 500, and
// still keep each one in webhook_events, REJECTED, cut at the size limit if need be.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { WebhookEvent } from '../../../src/entities/index.js';
import { MAX_DELIVERY_BYTES } from '../../../src/http/deliveryBody.js';
import { apiForSuite } from '../../support/api.js';
import { rawRequest } from '../../support/rawHttp.js';

const SECRET = `cb-${'e'.repeat(24)}`;
const ROUTES = {
  paypal: '/webhooks/paypal',
  mpesa: `/webhooks/mpesa/${SECRET}`,
  'mpesa, wrong secret': '/webhooks/mpesa/not-the-secret',
};

describe('bodies the provider routes refuse', () => {
  const suite = apiForSuite({ MPESA_CALLBACK_SECRET: SECRET });

  /** Sends with a marker header, and returns the answer and the row stored for it. */
  async function deliver(path: string, body: Buffer | string, headers: Record<string, string | number> = {}) {
    const marker = randomUUID();
    const answer = await rawRequest(`${suite.api.url}${path}`, {
      headers: { 'content-type': 'application/json', 'x-test-marker': marker, ...headers },
      body,
    });
    const rows = await suite.orm.em
      .fork()
      .find(WebhookEvent, { receivedAt: { $gte: new Date(Date.now() - 60_000) } }, { orderBy: { receivedAt: 'desc' } });
    return { answer, rows: rows.filter((row) => row.headers['x-test-marker'] === marker) };
  }

  /** The message the route answered with: `error` from PayPal's route, `ResultDesc` from M-Pesa's. */
  const messageOf = (answer: { json: <T>() => T }) => {
    const json = answer.json<{ error?: string; ResultDesc?: string }>();
    return json.error ?? json.ResultDesc;
  };

  it.each(Object.entries(ROUTES))(
    '%s: answers 413 to a 5 MB body, closes the connection, and stores its first 256 kB',
    async (route, path) => {
      const body = `{"pad":"${'x'.repeat(5_000_000)}"}`;
      const { answer, rows } = await deliver(path, body, { 'content-length': Buffer.byteLength(body) });
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      expect(messageOf(answer)).toBe(`the request body exceeds the maximum of ${MAX_DELIVERY_BYTES} bytes`);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('REJECTED');
      expect(rows[0]!.rawBody).toBe(body.slice(0, MAX_DELIVERY_BYTES));
      expect(rows[0]!.reason).toBe(
        `the request body exceeds the maximum of ${MAX_DELIVERY_BYTES} bytes (only its first ${MAX_DELIVERY_BYTES} bytes of ${Buffer.byteLength(body)} stored)` +
          (route.includes('wrong') ? '; wrong path secret' : ''),
      );
    },
  );

  it('answers 413 while the client is still sending, without reading the rest', async () => {
    // Chunked and never finished: only a server that stops reading at the limit can answer.
    const answer = await rawRequest(`${suite.api.url}${ROUTES['mpesa, wrong secret']}`, {
      headers: { 'content-type': 'application/json' },
      body: `{"pad":"${'x'.repeat(1_000_000)}`,
      end: false,
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
  });

  it('cuts a body too large for storage at a character boundary, still as text', async () => {
    // 3-byte characters: 262,144 bytes end inside one, which is left out.
    const body = '€'.repeat(100_000);
    const { answer, rows } = await deliver(ROUTES.paypal, body, { 'content-length': Buffer.byteLength(body) });
    expect(answer.status).toBe(413);
    const kept = Math.floor(MAX_DELIVERY_BYTES / 3);
    expect(rows.map((row) => [row.rawBody === '€'.repeat(kept), row.reason])).toEqual([
      [true, expect.stringContaining(`(only its first ${kept * 3} bytes of 300000 stored)`)],
    ]);
  });

  it.each(Object.entries(ROUTES))('%s: answers 415 to a body that is not JSON, and stores it', async (_route, path) => {
    const { answer, rows } = await deliver(path, 'ResultCode=0', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(415);
    expect(messageOf(answer)).toMatch(/Content-Type: application\/json/);
    expect(rows.map((row) => [row.status, row.rawBody])).toEqual([['REJECTED', 'ResultCode=0']]);
  });

  it.each(Object.entries(ROUTES))('%s: answers 400 to an empty body, and stores it', async (_route, path) => {
    const { answer, rows } = await deliver(path, '');
    expect(answer.status).toBe(400);
    expect(messageOf(answer)).toMatch(/empty: send a JSON object/);
    expect(rows.map((row) => [row.status, row.rawBody])).toEqual([['REJECTED', '']]);
  });

  it.each(Object.entries(ROUTES))(
    '%s: answers 400 to bytes that are not UTF-8 text, and stores them base64',
    async (_route, path) => {
      const latin1 = Buffer.from('{"name":"Zoé"}', 'latin1');
      const bad = await deliver(path, latin1);
      expect(bad.answer.status).toBe(400);
      expect(messageOf(bad.answer)).toMatch(/not valid UTF-8/);
      expect(bad.rows.map((row) => [row.rawBody, row.reason])).toEqual([
        [latin1.toString('base64'), expect.stringMatching(/stored base64/)],
      ]);

      const nul = Buffer.from('{"a":"\0"}');
      const withNul = await deliver(path, nul);
      expect(withNul.answer.status).toBe(400);
      expect(messageOf(withNul.answer)).toMatch(/NUL byte/);
      expect(withNul.rows.map((row) => row.rawBody)).toEqual([nul.toString('base64')]);
    },
  );

  it('keeps a callback to an M-Pesa path that does not decode, as a wrong secret (404)', async () => {
    const { answer, rows } = await deliver('/webhooks/mpesa/%E0%A4%A', '{"Body":{}}');
    expect(answer.status).toBe(404);
    expect(rows.map((row) => [row.status, row.reason])).toEqual([['REJECTED', 'wrong path secret']]);
  });
});
