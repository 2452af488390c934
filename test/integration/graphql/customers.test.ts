// Customer profiles through the GraphQL endpoint: owned by the app that creates them, validated field by field,
// audited, soft-deleted, and listed with cursor pagination, filters and search.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { Customer } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { uniqueEmail } from '../../support/fixtures.js';

const CREATE = `mutation ($i: CreateCustomerInput!) {
  createCustomer(input: $i) { id email externalId phone locale status address { city country } preferences { renewalReminders productUpdates } }
}`;
const UPDATE = `mutation ($i: UpdateCustomerInput!) { updateCustomer(input: $i) { id name phone locale preferences { renewalReminders } } }`;
const LIST = `query ($f: CustomerFilter, $first: Int, $after: String) {
  customers(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } }
}`;

interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string; name: string } }[];
}

describe('customers', () => {
  let orm: Orm;
  let api: RunningApi;
  let admin: Headers;
  let app: Headers;
  let otherApp: Headers;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm);
    admin = await adminHeaders(api, orm);
    app = (await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES)).headers;
    otherApp = (await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES)).headers;
  });
  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  it('creates a full billing profile, normalising a Kenyan mobile number to E.164', async () => {
    const result = await api.graphql<{ createCustomer: Record<string, unknown> }>(
      CREATE,
      {
        i: {
          email: uniqueEmail().toUpperCase(),
          name: 'Mwangi Holdings',
          externalId: `acct-${randomUUID()}`,
          phone: '0712 345 678',
          address: { line1: 'Ngong Road 12', city: 'Nairobi', country: 'KE' },
          billingAddress: { line1: 'P.O. Box 100', city: 'Nairobi', postalCode: '00100', country: 'KE' },
          locale: 'sw-KE',
          preferences: { productUpdates: true },
        },
      },
      app,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.createCustomer).toMatchObject({
      phone: '+254712345678',
      locale: 'sw-KE',
      status: 'ACTIVE',
      address: { city: 'Nairobi', country: 'KE' },
      preferences: { renewalReminders: true, productUpdates: true },
    });
    expect(result.data!.createCustomer.email).toBe((result.data!.createCustomer.email as string).toLowerCase());
  });

  it('refuses bad fields naming each field and rule, writing nothing', async () => {
    const email = uniqueEmail();
    const result = await api.graphql(
      CREATE,
      {
        i: {
          email,
          name: '',
          phone: '12345',
          locale: 'not a locale!',
          address: { line1: 'x', city: 'y', country: 'Kenya' },
        },
      },
      app,
    );
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: {
        'input.name': 'must not be empty',
        'input.phone': 'must be a phone number in E.164 form such as +254712345678 (or 0712345678 in Kenya)',
        'input.locale': 'must be a BCP 47 locale such as en-KE or sw-KE',
        'input.address.country': 'must be an ISO 3166-1 alpha-2 code, e.g. KE',
      },
    });
    expect(await orm.em.fork().count(Customer, { email })).toBe(0);
  });

  it('keeps externalId and email unique per app, not across apps', async () => {
    const externalId = `shared-${randomUUID()}`;
    const email = uniqueEmail();
    expect((await api.graphql(CREATE, { i: { email, name: 'A', externalId } }, app)).errors).toBeUndefined();
    const sameId = await api.graphql(CREATE, { i: { email: uniqueEmail(), name: 'B', externalId } }, app);
    expect(sameId.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.externalId' });
    const sameEmail = await api.graphql(CREATE, { i: { email, name: 'C' } }, app);
    expect(sameEmail.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.email' });
    expect((await api.graphql(CREATE, { i: { email, name: 'D', externalId } }, otherApp)).errors).toBeUndefined();
  });

  it('records who changed what in the audit trail', async () => {
    const created = await api.graphql<{ createCustomer: { id: string } }>(
      CREATE,
      { i: { email: uniqueEmail(), name: 'Before' } },
      app,
    );
    const id = created.data!.createCustomer.id;
    const updated = await api.graphql<{ updateCustomer: { name: string; phone: string } }>(
      UPDATE,
      { i: { id, name: 'After', phone: '+254110000001', preferences: { renewalReminders: false } } },
      app,
    );
    expect(updated.data!.updateCustomer).toMatchObject({
      name: 'After',
      phone: '+254110000001',
      preferences: { renewalReminders: false },
    });
    const trail = await api.graphql<{
      customer: { auditTrail: { action: string; actorType: string; changes: Record<string, unknown> }[] };
    }>('query ($id: ID!) { customer(id: $id) { auditTrail { action actorType actorId changes } } }', { id }, admin);
    const actions = trail.data!.customer.auditTrail;
    expect(actions.map((a) => a.action)).toEqual(['customer.created', 'customer.updated']);
    expect(actions[1]!.actorType).toBe('API_CLIENT');
    expect(actions[1]!.changes).toMatchObject({
      name: { from: 'Before', to: 'After' },
      phone: { from: null, to: '+254110000001' },
    });
    // Client apps without read:audit cannot read it.
    const denied = await api.graphql('query ($id: ID!) { customer(id: $id) { auditTrail { action } } }', { id }, app);
    expect(denied.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('soft-deletes: the customer leaves lists and lookups, the row stays', async () => {
    const created = await api.graphql<{ createCustomer: { id: string } }>(
      CREATE,
      { i: { email: uniqueEmail(), name: 'Leaving' } },
      app,
    );
    const id = created.data!.createCustomer.id;
    expect(
      (await api.graphql('mutation ($id: ID!) { deleteCustomer(id: $id) { deletedAt } }', { id }, app)).errors,
    ).toBeUndefined();
    expect(
      (await api.graphql('query ($id: ID!) { customer(id: $id) { id } }', { id }, app)).errors![0]!.extensions!.code,
    ).toBe('NOT_FOUND');
    const list = await api.graphql<{ customers: Connection }>(LIST, { first: 100 }, app);
    expect(list.data!.customers.edges.map((e) => e.node.id)).not.toContain(id);
    expect((await orm.em.fork().findOneOrFail(Customer, { id })).deletedAt).not.toBeNull();
  });

  it('pages with cursors newest first, filters and searches', async () => {
    const pager = (await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES)).headers;
    const tag = randomUUID().slice(0, 8);
    for (let i = 0; i < 5; i++) {
      await api.graphql(CREATE, { i: { email: uniqueEmail(), name: `${i % 2 ? 'Odd' : 'Even'} ${tag} ${i}` } }, pager);
    }
    const first = (await api.graphql<{ customers: Connection }>(LIST, { first: 2 }, pager)).data!.customers;
    expect(first.totalCount).toBe(5);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges.map((e) => e.node.name)).toEqual([`Even ${tag} 4`, `Odd ${tag} 3`]);
    const second = (
      await api.graphql<{ customers: Connection }>(LIST, { first: 2, after: first.pageInfo.endCursor }, pager)
    ).data!.customers;
    expect(second.edges.map((e) => e.node.name)).toEqual([`Even ${tag} 2`, `Odd ${tag} 1`]);
    const last = (
      await api.graphql<{ customers: Connection }>(LIST, { first: 2, after: second.pageInfo.endCursor }, pager)
    ).data!.customers;
    expect(last.edges.map((e) => e.node.name)).toEqual([`Even ${tag} 0`]);
    expect(last.pageInfo.hasNextPage).toBe(false);

    const search = (await api.graphql<{ customers: Connection }>(LIST, { f: { search: `odd ${tag}` } }, pager)).data!
      .customers;
    expect(search.edges.map((e) => e.node.name).sort()).toEqual([`Odd ${tag} 1`, `Odd ${tag} 3`]);
    const tooMany = await api.graphql(LIST, { first: 500 }, pager);
    expect(tooMany.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { first: 'must be a whole number from 1 to 100' },
    });
  });
});
