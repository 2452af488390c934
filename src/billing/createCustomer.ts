import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Customer } from '../entities/index.js';
import { ConflictError } from './errors.js';
import { parseInput } from './validate.js';

export const createCustomerSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

export type CreateCustomerInput = z.input<typeof createCustomerSchema>;

export async function createCustomer(em: EntityManager, input: CreateCustomerInput): Promise<Customer> {
  const data = parseInput(createCustomerSchema, input);
  if (await em.count(Customer, { email: data.email })) {
    throw new ConflictError(`a customer with email ${data.email} already exists`);
  }
  const customer = em.create(Customer, data);
  await em.flush();
  return customer;
}
