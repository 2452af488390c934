import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope } from '../kernel/policy.js';
import { ownCustomerOf, type Caller } from '../kernel/caller.js';
import { ConflictError, ForbiddenError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { Customer } from '../entities/index.js';
import { customerFields } from './customerInput.js';
import { ownerFor } from './ownership.js';

export const createCustomerSchema = z.object({
  ...customerFields,
  apiClientId: z
    .string()
    .uuid('must be a client app id (UUID)')
    .nullish()
    .describe(
      'Administrators: the client app this customer belongs to (its key then sees it, e.g. in entitlement). ' +
        "An app's customers are always its own.",
    ),
});
export type CreateCustomerInput = z.input<typeof createCustomerSchema>;

/**
 * Creates a customer owned by the calling app. An administrator may name the app (`apiClientId`) so that the app can
 * find the customer (entitlement, its lists); without it the customer belongs to no app.
 */
export async function createCustomer(em: EntityManager, caller: Caller, input: CreateCustomerInput): Promise<Customer> {
  const known = requireScope(caller, 'write:customers');
  if (ownCustomerOf(known)) throw new ForbiddenError('a customer account manages only its own customer');
  const { apiClientId, ...data } = parseInput(createCustomerSchema, input);
  const apiClient = await ownerFor(em, known, apiClientId ?? null);
  await assertUnique(em, apiClient, data.email, data.externalId ?? null);
  const customer = em.create(Customer, {
    ...data,
    apiClient,
    externalId: data.externalId ?? null,
    kraPin: data.kraPin ?? null,
    taxExempt: data.taxExempt ?? false,
    phone: data.phone ?? null,
    address: data.address ?? null,
    billingAddress: data.billingAddress ?? null,
    locale: data.locale ?? 'en-KE',
    preferences: { renewalReminders: true, trialEndingReminders: true, productUpdates: false, ...data.preferences },
  });
  recordAudit(em, caller, 'customer.created', 'Customer', customer.id, {
    email: customer.email,
    externalId: customer.externalId,
  });
  await em.flush();
  return customer;
}

/** Email and externalId are unique within one app (the database enforces it too; this names the field). */
export async function assertUnique(
  em: EntityManager,
  apiClient: string | null,
  email: string | null,
  externalId: string | null,
  exceptId?: string,
) {
  const notSelf = exceptId ? { id: { $ne: exceptId } } : {};
  if (email && (await em.count(Customer, { apiClient, email, deletedAt: null, ...notSelf }))) {
    throw new ConflictError(`a customer with email ${email} already exists`, 'input.email');
  }
  if (externalId && (await em.count(Customer, { apiClient, externalId, ...notSelf }))) {
    throw new ConflictError(`a customer with externalId ${externalId} already exists`, 'input.externalId');
  }
}
