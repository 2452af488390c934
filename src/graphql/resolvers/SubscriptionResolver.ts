import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError } from '../../billing/errors.js';
import { subscribe } from '../../billing/subscribe.js';
import { Customer, Invoice, Plan, Subscription } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { SubscribeInput } from '../types/inputs.js';

@Resolver(() => Subscription)
export class SubscriptionResolver {
  @Query(() => Subscription)
  async subscription(@Ctx() { em }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Subscription> {
    const subscription = await em.findOne(Subscription, { id });
    if (!subscription) throw new NotFoundError('Subscription', id);
    return subscription;
  }

  @Mutation(() => Subscription, {
    description: 'Starts a subscription and its lifecycle workflow. Send an Idempotency-Key to make retries safe.',
  })
  subscribe(
    @Ctx() { em, temporal, idempotencyKey }: GraphQLContext,
    @Arg('input', () => SubscribeInput) input: SubscribeInput,
  ): Promise<Subscription> {
    return subscribe(em, temporal, { ...input, idempotencyKey: input.idempotencyKey ?? idempotencyKey });
  }

  @FieldResolver(() => Plan)
  async plan(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<Plan> {
    const plan = await loaders.planById.load(subscription.plan.id);
    if (!plan) throw new NotFoundError('Plan', subscription.plan.id);
    return plan;
  }

  @FieldResolver(() => Customer)
  async customer(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<Customer> {
    const customer = await loaders.customerById.load(subscription.customer.id);
    if (!customer) throw new NotFoundError('Customer', subscription.customer.id);
    return customer;
  }

  @FieldResolver(() => [Invoice], { description: 'Invoices of this subscription, oldest period first.' })
  invoices(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<Invoice[]> {
    return loaders.invoicesBySubscriptionId.load(subscription.id);
  }
}
