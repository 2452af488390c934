import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { seed } from '../../../src/db/seed.js';
import { Product } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { testConfig } from '../../support/config.js';
import { testOrm } from '../../support/db.js';

describe('seed', () => {
  let orm: Orm;
  let api: RunningApi;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm);
  });
  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  it('creates a working administrator and demo client app, and changes nothing the second time', async () => {
    const config = testConfig({
      SEED_ADMIN_EMAIL: `seed-${randomUUID()}@example.test`,
      SEED_ADMIN_PASSWORD: 'seeded-admin-password-1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'seed-')),
    });
    const first = await seed(orm, config);
    expect(first.created).toContain(`administrator ${config.seed.adminEmail}`);
    const second = await seed(orm, config);
    expect(second.created).toEqual([]);
    expect(second.apiKey).toBe(first.apiKey);

    const login = await api.graphql<{ login: { accessToken: string } }>(
      'mutation ($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }',
      { e: config.seed.adminEmail, p: 'seeded-admin-password-1' },
    );
    expect(login.errors).toBeUndefined();

    // The test database outlives runs, so look at the seeded product's plans rather than the newest plans overall.
    const workspace = await orm.em.fork().findOneOrFail(Product, { code: 'workspace' });
    const plans = await api.graphql<{ plans: { edges: { node: { name: string; price: { currency: string } } }[] } }>(
      'query ($p: ID!) { plans(first: 100, filter: { status: ACTIVE, productId: $p }) { edges { node { id name price { currency } } } } }',
      { p: workspace.id },
      { 'x-api-key': first.apiKey! },
    );
    expect(plans.errors).toBeUndefined();
    const names = plans.data!.plans.edges.map((e) => e.node.name);
    expect(names).toEqual(expect.arrayContaining(['Pro (KES, monthly)', 'Pro (USD, monthly)', 'Team (KES, per seat)']));
    // Asked by code, not found in a list: the test database outlives runs and holds many coupons.
    const proKes = plans.data!.plans.edges.find((e) => e.node.name === 'Pro (KES, monthly)');
    const coupon = await api.graphql<{ validateCoupon: { valid: boolean } }>(
      'query ($p: ID!) { validateCoupon(code: "KARIBU20", planId: $p) { valid } }',
      { p: (proKes!.node as unknown as { id: string }).id },
      { 'x-api-key': first.apiKey! },
    );
    expect(coupon.data!.validateCoupon.valid).toBe(true);
  });
});
