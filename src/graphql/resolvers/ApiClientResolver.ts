import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { createApiClient, createApiKey, revokeApiKey, setApiClientReturnOrigins } from '../../accounts/apiClients.js';
import { requireAdmin } from '../../kernel/policy.js';
import { ApiClient, ApiKey } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { CreateApiClientInput, SetApiClientReturnOriginsInput } from '../types/inputs.js';
import { CreatedApiKey } from '../types/payloads.js';

@Resolver(() => ApiClient)
export class ApiClientResolver {
  @Query(() => [ApiClient], { description: 'Administrators only.' })
  apiClients(@Ctx() { em, caller }: GraphQLContext): Promise<ApiClient[]> {
    requireAdmin(caller);
    return em.find(ApiClient, {}, { orderBy: { createdAt: 'desc' } });
  }

  @Mutation(() => ApiClient)
  createApiClient(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('input', () => CreateApiClientInput) input: CreateApiClientInput,
  ) {
    return createApiClient(em, caller, input);
  }

  @Mutation(() => ApiClient, {
    description: 'Administrators: the origins hosted checkout and portal pages may send this app’s customers back to.',
  })
  setApiClientReturnOrigins(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('input', () => SetApiClientReturnOriginsInput) input: SetApiClientReturnOriginsInput,
  ) {
    return setApiClientReturnOrigins(em, caller, input);
  }

  @Mutation(() => CreatedApiKey)
  createApiKey(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('apiClientId', () => ID) apiClientId: string,
    @Arg('name', { defaultValue: 'default' }) name: string,
  ): Promise<CreatedApiKey> {
    return createApiKey(em, caller, apiClientId, name);
  }

  @Mutation(() => ApiKey)
  revokeApiKey(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ApiKey> {
    return revokeApiKey(em, caller, id);
  }

  @FieldResolver(() => [ApiKey])
  keys(@Root() client: ApiClient, @Ctx() { loaders, caller }: GraphQLContext): Promise<ApiKey[]> {
    requireAdmin(caller);
    return loaders.keysByApiClientId.load(client.id);
  }
}
