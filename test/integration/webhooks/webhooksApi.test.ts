// The webhook API as an app uses it over GraphQL, with production's address rules: refusals that name the field
// and rule and write nothing, the secret shown once, events listed oldest first page by page, and a resend.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { EVENTS_API_VERSION } from '../../../src/webhooks/eventCatalog.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { uniqueEmail } from '../../support/fixtures.js';

let orm: Orm;
let api: RunningApi;
let app: Headers;
let appId: string;

const CREATE = `mutation ($i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $i) { secret endpoint { id url eventTypes status } }
}`;

beforeAll(async () => {
  orm = await testOrm();
  api = await startApi(orm, { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } });
  const created = await apiClientHeaders(api, await adminHeaders(api, orm), [
    'read:events',
    'write:webhooks',
    'write:customers',
  ]);
  app = created.headers;
  appId = created.apiClientId;
});

afterAll(async () => {
  // Its endpoints name a public address: leave no deliveries for other suites' loops to try.
  await orm.em.fork().execute('delete from webhook_endpoints where api_client_id = ?', [appId]);
  await api.stop();
  await orm.close();
});

const endpointsOfApp = async () =>
  (await orm.em.fork().execute('select id from webhook_endpoints where api_client_id = ?', [appId])).length;

it.each([
  ['http://41.90.64.1/hooks', ['invoice.paid'], { 'input.url': 'must use https' }],
  [
    'https://169.254.169.254/latest/meta-data',
    ['invoice.paid'],
    { 'input.url': 'must not resolve to a private, loopback or link-local address' },
  ],
  [
    'https://41.90.64.1/hooks',
    ['invoice.paid', 'invoice.teleported'],
    { 'input.eventTypes': 'must be event types (unknown: invoice.teleported)' },
  ],
  ['https://41.90.64.1/hooks', [], { 'input.eventTypes': "must name at least one event type, or '*' for all" }],
])('refuses %s for %j with BAD_USER_INPUT naming the field and rule, writing nothing', async (url, types, fields) => {
  const result = await api.graphql(CREATE, { i: { url, eventTypes: types } }, app);
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields });
  expect(await endpointsOfApp()).toBe(0);
});

it('creates an endpoint with its secret shown once, lists it without it, and disables it', async () => {
  const created = await api.graphql<{
    createWebhookEndpoint: { secret: string; endpoint: { id: string; eventTypes: string[]; status: string } };
  }>(CREATE, { i: { url: 'https://41.90.64.1/hooks', eventTypes: ['invoice.paid', 'customer.created'] } }, app);
  expect(created.errors).toBeUndefined();
  const { secret, endpoint } = created.data!.createWebhookEndpoint;
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  expect(endpoint).toMatchObject({ eventTypes: ['customer.created', 'invoice.paid'], status: 'ENABLED' });
  const [stored] = await orm.em
    .fork()
    .execute<{ secret_sealed: string }[]>('select secret_sealed from webhook_endpoints where id = ?', [endpoint.id]);
  expect(stored!.secret_sealed).not.toContain(secret.slice(6));
  const disabled = await api.graphql<{ updateWebhookEndpoint: { status: string } }>(
    'mutation ($id: ID!) { updateWebhookEndpoint(input: { id: $id, enabled: false }) { status } }',
    { id: endpoint.id },
    app,
  );
  expect(disabled.data!.updateWebhookEndpoint.status).toBe('DISABLED');
  const listed = await api.graphql<{ webhookEndpoints: Record<string, unknown>[] }>(
    '{ webhookEndpoints { id status deliveries { id } } }',
    {},
    app,
  );
  expect(listed.data!.webhookEndpoints).toEqual([{ id: endpoint.id, status: 'DISABLED', deliveries: [] }]);
});

it('lists events oldest first, page by page, for catching up after an outage; resends one', async () => {
  const customer = await api.graphql<{ createCustomer: { id: string } }>(
    'mutation ($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }',
    { i: { email: uniqueEmail('events'), name: 'One' } },
    app,
  );
  const customerId = customer.data!.createCustomer.id;
  for (const name of ['Two', 'Three']) {
    await api.graphql(
      'mutation ($i: UpdateCustomerInput!) { updateCustomer(input: $i) { id } }',
      { i: { id: customerId, name } },
      app,
    );
  }
  const PAGE = `query ($c: ID!, $after: String) {
    events(filter: { customerId: $c }, first: 2, after: $after) {
      edges { cursor node { id type apiVersion data } } pageInfo { hasNextPage endCursor }
    }
  }`;
  type Page = {
    events: {
      edges: { node: { id: string; type: string; apiVersion: string; data: { object: { name: string } } } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };
  const first = await api.graphql<Page>(PAGE, { c: customerId }, app);
  const second = await api.graphql<Page>(PAGE, { c: customerId, after: first.data!.events.pageInfo.endCursor }, app);
  expect(first.data!.events.pageInfo.hasNextPage).toBe(true);
  expect(second.data!.events.pageInfo.hasNextPage).toBe(false);
  const events = [...first.data!.events.edges, ...second.data!.events.edges].map((edge) => edge.node);
  expect(events.map((event) => [event.type, event.data.object.name, event.apiVersion])).toEqual([
    ['customer.created', 'One', EVENTS_API_VERSION],
    ['customer.updated', 'Two', EVENTS_API_VERSION],
    ['customer.updated', 'Three', EVENTS_API_VERSION],
  ]);
  const bad = await api.graphql(PAGE, { c: customerId, after: 'not-a-cursor' }, app);
  expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { after: expect.any(String) } });

  const endpoint = await api.graphql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
    CREATE,
    { i: { url: 'https://41.90.64.1/other', eventTypes: ['*'] } },
    app,
  );
  const resent = await api.graphql<{ resendEvent: { endpointId: string; status: string; eventId: string }[] }>(
    'mutation ($e: ID!) { resendEvent(eventId: $e) { eventId endpointId status } }',
    { e: events[0]!.id },
    app,
  );
  expect(resent.data!.resendEvent).toEqual([
    { eventId: events[0]!.id, endpointId: endpoint.data!.createWebhookEndpoint.endpoint.id, status: 'PENDING' },
  ]);
});
