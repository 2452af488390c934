import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import { ownCustomerOf, type Caller } from '../kernel/caller.js';
import { ForbiddenError, NotFoundError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { Customer } from '../entities/index.js';
import { assertUnique } from './createCustomer.js';
import { customerFields } from './customerInput.js';

export const updateCustomerSchema = z
  .object({ id: z.string().uuid('must be a customer id (UUID)') })
  .extend(z.object(customerFields).partial().shape);

/** Changes only the fields given, and records what changed from what to what. */
export async function updateCustomer(
  em: EntityManager,
  caller: Caller,
  input: z.input<typeof updateCustomerSchema>,
): Promise<Customer> {
  const known = requireScope(caller, 'write:customers');
  const { id, ...changes } = parseInput(updateCustomerSchema, input);
  // An exemption changes what the business owes KRA: the business grants it (its app or an admin), never the customer.
  if (changes.taxExempt !== undefined && ownCustomerOf(known))
    throw new ForbiddenError('taxExempt is set by the business, not by the customer');
  const customer = await em.findOne(Customer, visibleCustomers(caller, { id }));
  if (!customer) throw new NotFoundError('Customer', id);
  await assertUnique(em, customer.apiClient?.id ?? null, changes.email ?? null, changes.externalId ?? null, id);
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const field = key as keyof Customer;
    const next = key === 'preferences' ? { ...customer.preferences, ...(value as object) } : value;
    if (JSON.stringify(customer[field]) === JSON.stringify(next)) continue;
    diff[key] = { from: customer[field], to: next };
    Object.assign(customer, { [key]: next });
  }
  if (Object.keys(diff).length) recordAudit(em, caller, 'customer.updated', 'Customer', id, diff);
  await em.flush();
  return customer;
}

/** Soft delete: the customer leaves every list, but their invoices and history stay. */
export async function deleteCustomer(em: EntityManager, caller: Caller, id: string): Promise<Customer> {
  requireScope(caller, 'write:customers');
  const customer = await em.findOne(Customer, visibleCustomers(caller, { id }));
  if (!customer) throw new NotFoundError('Customer', id);
  customer.deletedAt = new Date();
  recordAudit(em, caller, 'customer.deleted', 'Customer', id);
  await em.flush();
  return customer;
}
