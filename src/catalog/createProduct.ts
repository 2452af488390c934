import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { ConflictError, ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { Product } from '../entities/index.js';
import { taxClassColumns, taxClassFields } from './taxClassInput.js';

export const featureList = z
  .array(z.string().trim().min(1, 'must not contain empty entries').max(200, 'entries must be at most 200 characters'))
  .max(100, 'must have at most 100 entries');

export const createProductSchema = z.object({
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, - or _ (at most 63), e.g. analytics')
    .describe('Stable identifier, e.g. analytics.'),
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').nullish(),
  features: featureList.default([]),
  ...taxClassFields,
  itemClassificationCode: z
    .string()
    .regex(/^\d{6,10}$/, 'must be a KRA item classification code: 6 to 10 digits')
    .nullish()
    .describe('KRA item classification code for eTIMS; omit to use ETIMS_ITEM_CLASSIFICATION_CODE.'),
});

export async function createProduct(em: EntityManager, caller: Caller, input: z.input<typeof createProductSchema>) {
  requireScope(caller, 'write:plans');
  const data = parseInput(createProductSchema, input);
  const tax = taxClassColumns(data);
  if (typeof tax === 'string') throw new ValidationError({ 'input.taxRateBasisPoints': tax });
  if (await em.count(Product, { code: data.code }))
    throw new ConflictError(`a product with code ${data.code} already exists`);
  const product = em.create(Product, {
    ...data,
    ...tax,
    description: data.description ?? null,
    itemClassificationCode: data.itemClassificationCode ?? null,
  });
  recordAudit(em, caller, 'product.created', 'Product', product.id, { code: data.code });
  await em.flush();
  return product;
}
