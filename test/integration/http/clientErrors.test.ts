// Requests the API cannot serve as sent get a 4xx naming what to send, in the route's own shape, never a 500.
import { describe, expect, it } from '@jest/globals';
import { apiForSuite } from '../../support/api.js';
import { rawRequest } from '../../support/rawHttp.js';

describe('client errors on every route', () => {
  const suite = apiForSuite();
  const get = (path: string, body?: string) =>
    rawRequest(`${suite.api.url}${path}`, {
      method: 'GET',
      headers:
        body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      body,
    });

  it('refuses a body on GET, on /graphql in the GraphQL error shape, and closes the connection', async () => {
    const graphql = await get('/graphql?query=%7B__typename%7D', '{"query":"{ __typename }"}');
    expect(graphql.status).toBe(400);
    expect(graphql.connection).toBe('close');
    expect(graphql.json()).toEqual({
      errors: [
        {
          message: 'a GET request carries no body: put the GraphQL query in the URL (?query=…), or POST it as JSON',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    for (const path of ['/healthz', '/readyz', '/payments/paypal/return?token=x', '/invoices/x?token=y', '/nowhere']) {
      const answer = await get(path, '{}');
      expect({ path, status: answer.status, body: answer.json() }).toEqual({
        path,
        status: 400,
        body: { error: 'a GET request carries no body: send the request without one' },
      });
    }
  });

  it('answers an unknown route with a JSON 404 naming it', async () => {
    const answer = await rawRequest(`${suite.api.url}/webhooks/stripe`, {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual({ error: 'nothing here: POST /webhooks/stripe' });
  });

  it('answers a path that does not decode with 400, not 500', async () => {
    const answer = await get('/invoices/%E0%A4%A?token=x');
    expect(answer.status).toBe(400);
    expect(answer.json<{ error: string }>().error).toMatch(/^malformed URL: /);
  });

  it('refuses an empty body, or one that is not UTF-8, on POST /graphql with 400 naming what to send', async () => {
    const post = (body: Buffer | string) =>
      rawRequest(`${suite.api.url}/graphql`, { headers: { 'content-type': 'application/json' }, body });
    const errorOf = async (body: Buffer | string) => {
      const answer = await post(body);
      return { status: answer.status, error: answer.json<{ errors: unknown[] }>().errors[0] };
    };
    expect(await errorOf('')).toEqual({
      status: 400,
      error: {
        message: 'the request body is empty: send a JSON object such as {"query": "{ __typename }"}',
        extensions: { code: 'BAD_REQUEST' },
      },
    });
    expect(await errorOf(Buffer.from('{"query":"{ __typename }","x":"é"}', 'latin1'))).toEqual({
      status: 400,
      error: {
        message: 'the request body is not valid UTF-8: send the JSON body as UTF-8',
        extensions: { code: 'BAD_REQUEST' },
      },
    });
  });
});
