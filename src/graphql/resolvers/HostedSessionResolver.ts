import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { createCheckoutSession } from '../../hosted/createCheckoutSession.js';
import { createPortalSession } from '../../hosted/createPortalSession.js';
import { redeemHostedSession } from '../../hosted/redeemHostedSession.js';
import type { GraphQLContext } from '../context.js';
import { CreateCheckoutSessionInput, CreatePortalSessionInput } from '../types/inputs.js';
import { HostedSessionLink, HostedSessionLogin } from '../types/hostedSessions.js';

@Resolver()
export class HostedSessionResolver {
  @Mutation(() => HostedSessionLink, {
    description:
      "Client apps (write:subscriptions) and administrators: a one-time link (30 minutes) to a hosted checkout for the app's customer.",
  })
  createCheckoutSession(
    @Ctx() { em, caller, hosted }: GraphQLContext,
    @Arg('input', () => CreateCheckoutSessionInput) input: CreateCheckoutSessionInput,
  ): Promise<HostedSessionLink> {
    return createCheckoutSession(em, caller, hosted, input);
  }

  @Mutation(() => HostedSessionLink, {
    description:
      "Client apps (write:subscriptions) and administrators: a one-time link (10 minutes) to the hosted portal for the app's customer.",
  })
  createPortalSession(
    @Ctx() { em, caller, hosted }: GraphQLContext,
    @Arg('input', () => CreatePortalSessionInput) input: CreatePortalSessionInput,
  ): Promise<HostedSessionLink> {
    return createPortalSession(em, caller, hosted, input);
  }

  @Mutation(() => HostedSessionLogin, {
    description:
      'Public: the hosted page trades its link’s token, once, for a 30-minute access token acting for that customer.',
  })
  redeemHostedSession(
    @Ctx() { em, sessions }: GraphQLContext,
    @Arg('token') token: string,
  ): Promise<HostedSessionLogin> {
    return redeemHostedSession(em, sessions.accessTokens, token);
  }
}
