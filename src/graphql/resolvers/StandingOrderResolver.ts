// M-Pesa Ratiba standing orders (docs/ratiba.md): asking for one, and reading a subscription's. Thin: the use case
// authorizes and decides.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { StandingOrder, Subscription } from '../../entities/index.js';
import { requestStandingOrder } from '../../payments/ratiba/requestStandingOrder.js';
import { StandingOrderWorkflows } from '../../temporal/standingOrderWorkflows.js';
import type { GraphQLContext } from '../context.js';
import { Money } from '../types/Money.js';
import { RequestStandingOrderInput } from '../types/inputs.js';

@Resolver(() => StandingOrder)
export class StandingOrderResolver {
  @Mutation(() => StandingOrder, {
    description:
      'Puts an M-Pesa Ratiba standing order for this subscription on the customer’s phone: once they approve it, ' +
      'each period is collected without a prompt (KES subscriptions paid by M-Pesa, billed daily, weekly, monthly, ' +
      'every 2, 3 or 6 months, or yearly). Asking again while one is live returns it.',
  })
  requestStandingOrder(
    @Ctx() { em, caller, lifecycle, billing }: GraphQLContext,
    @Arg('input', () => RequestStandingOrderInput) input: RequestStandingOrderInput,
  ): Promise<StandingOrder> {
    const workflows = new StandingOrderWorkflows(lifecycle.client, lifecycle.taskQueue);
    return requestStandingOrder(em, caller, { workflows, tax: billing.tax }, input);
  }

  @FieldResolver(() => Money, { description: 'What each collection pays.' })
  amount(@Root() order: StandingOrder): Money {
    return Money.of({ amount: order.amount, currency: order.currency });
  }
}

@Resolver(() => Subscription)
export class SubscriptionStandingOrderResolver {
  @FieldResolver(() => StandingOrder, {
    nullable: true,
    description: 'Its latest M-Pesa Ratiba standing order, live or not; null when none was asked for.',
  })
  async standingOrder(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext) {
    const [latest] = await loaders.standingOrdersBySubscriptionId.load(subscription.id);
    return latest ?? null;
  }
}
