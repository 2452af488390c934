// What an operator would have set up before subscribers arrive: one product, plans in shillings and one in dollars.
import type { PortalStack } from './portalStack.js';

export interface Catalog {
  productId: string;
  basic: string;
  pro: string;
  export: string;
}

async function admin<T>(stack: PortalStack, query: string, input: Record<string, unknown>): Promise<T> {
  const result = await stack.api.graphql<T>(query, { input }, stack.admin);
  if (result.errors) throw new Error(`catalog setup failed: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

const CREATE_PLAN = 'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { id } }';

export async function aCatalog(stack: PortalStack): Promise<Catalog> {
  const { createProduct } = await admin<{ createProduct: { id: string } }>(
    stack,
    'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    { code: 'duka-pos', name: 'Duka POS', features: ['Sales register', 'Stock alerts'] },
  );
  const plan = async (name: string, amount: number, currency: string, features: string[]) =>
    (
      await admin<{ createPlan: { id: string } }>(stack, CREATE_PLAN, {
        productId: createProduct.id,
        name,
        amount,
        currency,
        interval: 'MONTH',
        trialDays: 0,
        features,
      })
    ).createPlan.id;
  return {
    productId: createProduct.id,
    // Created in this order so the plans page (newest first) reads Export, Pro, Basic.
    basic: await plan('Basic', 150_000, 'KES', ['1 till']),
    pro: await plan('Pro', 450_000, 'KES', ['5 tills', 'Reports']),
    export: await plan('Export', 2_500, 'USD', ['Multi-currency']),
  };
}
