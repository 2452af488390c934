import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createCustomer } from '../../src/billing/createCustomer.js';
import { createPlan, type CreatePlanInput } from '../../src/billing/createPlan.js';

export function uniqueEmail(tag = 'customer'): string {
  return `${tag}-${randomUUID()}@example.test`;
}

export async function aCustomer(em: EntityManager) {
  return createCustomer(em.fork(), { email: uniqueEmail(), name: 'Wanjiku Kamau' });
}

export async function aPlan(em: EntityManager, overrides: Partial<CreatePlanInput> = {}) {
  return createPlan(em.fork(), {
    name: 'Pro monthly',
    amount: 250_000,
    currency: 'KES',
    interval: 'MONTH',
    trialDays: 14,
    ...overrides,
  });
}
