import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { entitlement } from '../../billing/entitlement.js';
import type { GraphQLContext } from '../context.js';
import { EntitlementPayload } from '../types/payloads.js';

@Resolver()
export class EntitlementResolver {
  @Query(() => EntitlementPayload, {
    description:
      'Has this customer paid? For client apps (API key with read:subscriptions), by your customer id and product ' +
      'code; `reason` says why not. Administrators name the app with apiClientId.',
  })
  entitlement(
    @Ctx() { caller, billing }: GraphQLContext,
    @Arg('customerExternalId') customerExternalId: string,
    @Arg('product', { description: 'Product code, e.g. analytics.' }) product: string,
    @Arg('apiClientId', () => ID, {
      nullable: true,
      description: 'The app whose customer this is: for administrators (apps always ask about their own).',
    })
    apiClientId?: string | null,
  ): Promise<EntitlementPayload> {
    return entitlement(billing.lookupEntitlement, caller, customerExternalId, product, { ...billing, apiClientId });
  }
}
