import { randomUUID } from 'node:crypto';
import type { RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../src/kernel/caller.js';
import { createPlan, type CreatePlanInput } from '../../src/catalog/createPlan.js';
import { createProduct } from '../../src/catalog/createProduct.js';
import { createCustomer } from '../../src/customers/createCustomer.js';
import { Subscription } from '../../src/entities/index.js';

/** An administrator, for tests that exercise use cases directly rather than authorization. */
export const admin: Caller = { kind: 'user', userId: randomUUID(), role: 'ADMIN', customerId: null };

export function uniqueEmail(tag = 'customer'): string {
  return `${tag}-${randomUUID()}@example.test`;
}

export function uniqueCode(tag = 'product'): string {
  return `${tag}-${randomUUID().slice(0, 8)}`;
}

export async function aCustomer(em: EntityManager, caller: Caller = admin) {
  return createCustomer(em.fork(), caller, { email: uniqueEmail(), name: 'Wanjiku Kamau', externalId: randomUUID() });
}

export async function aProduct(em: EntityManager) {
  return createProduct(em.fork(), admin, { code: uniqueCode(), name: 'Analytics', features: ['dashboards'] });
}

export async function aPlan(em: EntityManager, overrides: Partial<CreatePlanInput> = {}) {
  const productId = overrides.productId ?? (await aProduct(em)).id;
  return createPlan(em.fork(), admin, {
    productId,
    name: 'Pro monthly',
    amount: 250_000,
    currency: 'KES',
    interval: 'MONTH',
    trialDays: 14,
    ...overrides,
  });
}

/** A subscription row written directly, without a workflow: for tests of the activities and use cases behind one. */
export async function aSubscriptionRow(
  em: EntityManager,
  data: Omit<RequiredEntityData<Subscription>, 'billingAnchor'>,
) {
  const fork = em.fork();
  const subscription = fork.create(Subscription, { billingAnchor: new Date(), ...data });
  await fork.flush();
  return subscription;
}
