// An administrator gives a customer to a client app (or takes it from one): a customer created in the console, or
// imported, becomes visible to the app that bills it, with its subscriptions, invoices and entitlement.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireAdmin, visibleCustomers } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { NotFoundError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { Customer } from '../entities/index.js';
import { assertUnique } from './createCustomer.js';
import { requireApiClient } from './ownership.js';

export const moveCustomerSchema = z.object({
  customerId: z.string().uuid('must be a customer id (UUID)'),
  apiClientId: z.string().uuid('must be a client app id (UUID)').nullable(),
});

export async function moveCustomer(
  em: EntityManager,
  caller: Caller,
  input: z.input<typeof moveCustomerSchema>,
): Promise<Customer> {
  requireAdmin(caller);
  const { customerId, apiClientId } = parseInput(moveCustomerSchema, input);
  const customer = await em.findOne(Customer, visibleCustomers(caller, { id: customerId }));
  if (!customer) throw new NotFoundError('Customer', customerId);
  const from = customer.apiClient?.id ?? null;
  if (from === apiClientId) return customer;
  if (apiClientId !== null) await requireApiClient(em, apiClientId, 'input.apiClientId');
  // Email and externalId are unique within an app: the customer must not collide with one the app has already.
  await assertUnique(em, apiClientId, customer.email, customer.externalId, customer.id);
  em.assign(customer, { apiClient: apiClientId });
  recordAudit(em, caller, 'customer.moved', 'Customer', customer.id, { apiClientId: { from, to: apiClientId } });
  await em.flush();
  return customer;
}
