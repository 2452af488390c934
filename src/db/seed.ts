// Demo data for a first look: an administrator, a product with plans in KES and USD, a coupon, and a client app
// with an API key. Safe to run again: it adds only what is missing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createApiClient, createApiKey } from '../accounts/apiClients.js';
import { createAdminUser } from '../accounts/register.js';
import { SCOPES, type Caller } from '../kernel/caller.js';
import { createCoupon } from '../catalog/coupons.js';
import { createPlan } from '../catalog/createPlan.js';
import { createProduct } from '../catalog/createProduct.js';
import type { Config } from '../config.js';
import { ApiClient, Coupon, Plan, Product, User } from '../entities/index.js';
import type { Orm } from './orm.js';

export interface SeedReport {
  adminEmail: string;
  adminPassword: string | null;
  apiKey: string | null;
  created: string[];
}

const DEMO_APP = 'Demo app';

export async function seed(orm: Orm, config: Config): Promise<SeedReport> {
  const em = orm.em.fork();
  const created: string[] = [];
  const { adminEmail, adminPassword } = config.seed;
  if (!(await em.count(User, { email: adminEmail.toLowerCase() }))) {
    if (!adminPassword) throw new Error('SEED_ADMIN_PASSWORD is required to seed in production');
    await createAdminUser(em, adminEmail, adminPassword);
    created.push(`administrator ${adminEmail}`);
  }
  const admin: Caller = {
    kind: 'user',
    userId: (await em.findOneOrFail(User, { email: adminEmail.toLowerCase() })).id,
    role: 'ADMIN',
    customerId: null,
  };

  let product = await em.findOne(Product, { code: 'workspace' });
  if (!product) {
    product = await createProduct(em, admin, {
      code: 'workspace',
      name: 'Team workspace',
      description: 'Collaborative workspace for small teams',
      features: ['projects', 'file sharing', 'M-Pesa and PayPal billing'],
    });
    created.push('product workspace');
  }
  const plans = [
    {
      name: 'Pro (KES, monthly)',
      tier: 'Pro',
      amount: 250_000,
      currency: 'KES',
      interval: 'MONTH' as const,
      trialDays: 14,
      features: ['projects', 'file sharing'],
      limits: { seats: 10 },
    },
    {
      name: 'Pro (USD, monthly)',
      tier: 'Pro',
      amount: 2_500,
      currency: 'USD',
      interval: 'MONTH' as const,
      trialDays: 14,
      features: ['projects', 'file sharing'],
      limits: { seats: 10 },
    },
    {
      name: 'Team (KES, per seat)',
      tier: 'Team',
      amount: 0,
      currency: 'KES',
      interval: 'MONTH' as const,
      pricingModel: 'GRADUATED' as const,
      tiers: [
        { upTo: 5, unitAmount: 50_000, flatAmount: 0 },
        { upTo: null, unitAmount: 40_000, flatAmount: 0 },
      ],
      features: ['projects', 'file sharing', 'admin console'],
      limits: { seats: 100 },
    },
  ];
  // Outside production: a plan to watch a whole lifecycle in minutes (trial 2 minutes, renewals every 5, retries
  // 1, 3, 5, 7 minutes after a failure) against the sandboxes.
  const demo = config.billing.minutePlans
    ? [
        {
          name: 'Demo (KES, every 5 minutes)',
          tier: 'Demo',
          amount: 10_000,
          currency: 'KES',
          interval: 'MINUTE' as const,
          intervalCount: 5,
          trialDays: 2,
          features: ['projects'],
          limits: { seats: 1 },
        },
      ]
    : [];
  let proKes: Plan | null = null;
  for (const plan of [...plans, ...demo]) {
    let existing = await em.findOne(Plan, { product, name: plan.name, status: 'ACTIVE' });
    if (!existing) {
      existing = await createPlan(em, admin, { ...plan, productId: product.id }, config.billing);
      created.push(`plan ${plan.name}`);
    }
    if (plan.currency === 'KES' && plan.tier === 'Pro') proKes = existing;
  }
  if (!(await em.count(Coupon, { code: 'KARIBU20' }))) {
    await createCoupon(em, admin, {
      code: 'KARIBU20',
      name: 'Karibu: 20 % off for 3 months',
      percentOffBasisPoints: 2000,
      duration: 'REPEATING',
      durationInPeriods: 3,
      planIds: proKes ? [proKes.id] : null,
    });
    created.push('coupon KARIBU20');
  }

  // The key is shown only when it is created, so the seed keeps the demo one in DATA_DIR (git-ignored) to print again.
  const keyFile = join(config.dataDir, 'demo-api-key.txt');
  let apiKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : null;
  let client = await em.findOne(ApiClient, { name: DEMO_APP });
  if (!client) {
    client = await createApiClient(em, admin, { name: DEMO_APP, scopes: SCOPES.filter((scope) => scope !== 'admin') });
    created.push(`client app ${DEMO_APP}`);
    apiKey = null;
  }
  if (!apiKey) {
    apiKey = (await createApiKey(em, admin, client.id, `demo ${randomUUID().slice(0, 8)}`)).key;
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
    created.push('demo API key');
  }
  return { adminEmail, adminPassword: config.nodeEnv === 'production' ? null : adminPassword, apiKey, created };
}

export function describeSeed(report: SeedReport, graphqlUrl: string): string[] {
  return [
    report.created.length ? `seeded: ${report.created.join(', ')}` : 'seed data present',
    `  Sign in at ${graphqlUrl}: mutation { login(input: { email: "${report.adminEmail}", password: "${report.adminPassword ?? '<SEED_ADMIN_PASSWORD>'}" }) { accessToken } }`,
    '  then send the header  Authorization: Bearer <accessToken>',
    ...(report.apiKey ? [`  Demo client app API key (header X-Api-Key): ${report.apiKey}`] : []),
  ];
}
