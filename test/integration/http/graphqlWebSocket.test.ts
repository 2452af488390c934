// GraphQL over graphql-ws: credentials under the names the README gives for HTTP headers, and the same refusals
// (limits, suggestions) as over HTTP.
import { describe, expect, it } from '@jest/globals';
import { apiForSuite } from '../../support/api.js';
import { adminHeaders, apiClientHeaders } from '../../support/callers.js';
import { wsOperation } from '../../support/graphqlWs.js';

describe('graphql-ws', () => {
  const suite = apiForSuite();
  const ws = (params: Record<string, unknown>, query: string) => wsOperation(suite.api.url, params, query);

  it('accepts an API key as X-Api-Key or apiKey, in any case', async () => {
    const admin = await adminHeaders(suite.api, suite.orm);
    const { headers } = await apiClientHeaders(suite.api, admin, ['read:plans']);
    const key = headers['x-api-key']!;
    for (const params of [{ 'X-Api-Key': key }, { 'x-api-key': key }, { apiKey: key }, { APIKEY: key }]) {
      const outcome = await ws(params, '{ plans(first: 1) { totalCount } }');
      expect({ params, errors: outcome.errors }).toEqual({ params, errors: undefined });
    }
  });

  it('accepts an access token as Authorization or authorization, in any case', async () => {
    const admin = await adminHeaders(suite.api, suite.orm);
    for (const name of ['Authorization', 'AUTHORIZATION', 'authorization']) {
      const outcome = await ws({ [name]: admin.authorization }, '{ me { id } }');
      expect({ name, errors: outcome.errors }).toEqual({ name, errors: undefined });
      expect((outcome.data?.me as { id?: string } | null)?.id).toBeTruthy();
    }
  });

  it('refuses bad credentials and two different values for one credential at connection_init (4403)', async () => {
    const admin = await adminHeaders(suite.api, suite.orm);
    expect((await ws({ 'X-Api-Key': 'bk_AAAAAAAA_' + 'A'.repeat(43) }, '{ me { id } }')).closeCode).toBe(4403);
    const twoTokens = { Authorization: admin.authorization, authorization: 'Bearer something-else' };
    expect((await ws(twoTokens, '{ me { id } }')).closeCode).toBe(4403);
  });

  it('refuses a flood of aliases before parsing it, like HTTP', async () => {
    const aliases = Array.from({ length: 5_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const outcome = await ws({}, `{ ${aliases} }`);
    expect(outcome.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 30 });
  });

  it('gives "Did you mean" suggestions to authenticated callers only', async () => {
    const admin = await adminHeaders(suite.api, suite.orm);
    const anonymous = await ws({}, '{ custmers { totalCount } }');
    expect(anonymous.errors![0]!.message).toBe('Cannot query field "custmers" on type "Query".');
    const signedIn = await ws({ Authorization: admin.authorization }, '{ custmers { totalCount } }');
    expect(signedIn.errors![0]!.message).toMatch(/Did you mean "customers"/);
  });
});
