// A subscription sent over HTTP is refused with BAD_REQUEST naming graphql-ws, not run into an internal error.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SUBSCRIPTION_OVER_HTTP_MESSAGE } from '../../../src/http/subscriptionsNeedWebSocket.js';
import { apiForSuite } from '../../support/api.js';
import { adminHeaders } from '../../support/callers.js';

describe('a subscription over HTTP', () => {
  const suite = apiForSuite();

  it('answers 400 BAD_REQUEST saying subscriptions need graphql-ws', async () => {
    const admin = await adminHeaders(suite.api, suite.orm);
    const response = await fetch(`${suite.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({
        query: 'subscription ($id: ID!) { paymentUpdated(invoiceId: $id) { id status } }',
        variables: { id: randomUUID() },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: SUBSCRIPTION_OVER_HTTP_MESSAGE, extensions: { code: 'BAD_REQUEST' } }]);
    expect(body.errors[0]!.message).toMatch(/graphql-ws/);
  });
});
