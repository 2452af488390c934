import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { createPlan } from '../../billing/createPlan.js';
import { NotFoundError } from '../../billing/errors.js';
import { Plan, PlanStatusEnum, type PlanStatus } from '../../entities/Plan.js';
import type { GraphQLContext } from '../context.js';
import { CreatePlanInput } from '../types/inputs.js';
import { Money } from '../types/Money.js';

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => [Plan], { description: 'Plans, newest first.' })
  plans(
    @Ctx() { em }: GraphQLContext,
    @Arg('status', () => PlanStatusEnum, { nullable: true }) status?: PlanStatus | null,
  ): Promise<Plan[]> {
    return em.find(Plan, status ? { status } : {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  @Query(() => Plan)
  async plan(@Ctx() { loaders }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Plan> {
    const plan = await loaders.planById.load(id);
    if (!plan) throw new NotFoundError('Plan', id);
    return plan;
  }

  @Mutation(() => Plan)
  createPlan(
    @Ctx() { em }: GraphQLContext,
    @Arg('input', () => CreatePlanInput) input: CreatePlanInput,
  ): Promise<Plan> {
    return createPlan(em, { ...input });
  }

  @FieldResolver(() => Money, { description: 'Price per billing period.' })
  price(@Root() plan: Plan): Money {
    return Money.of({ amount: plan.amount, currency: plan.currency });
  }
}
