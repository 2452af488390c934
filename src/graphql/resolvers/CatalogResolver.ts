import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireScope } from '../../kernel/policy.js';
import { NotFoundError } from '../../kernel/errors.js';
import { archivePlan, changePlanPrice } from '../../catalog/changePlanPrice.js';
import { createPlan } from '../../catalog/createPlan.js';
import { createProduct } from '../../catalog/createProduct.js';
import { Plan, Product } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { paginate } from '../pagination.js';
import { connectionType } from '../types/connection.js';
import { ChangePlanPriceInput, CreatePlanInput, CreateProductInput, PlanFilter } from '../types/inputs.js';
import { Money } from '../types/Money.js';

export const PlanConnection = connectionType(Plan, 'Plan');
export const ProductConnection = connectionType(Product, 'Product');

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => ProductConnection)
  async products(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireScope(caller, 'read:plans');
    return ProductConnection.from(await paginate(em, Product, {}, { first, after }));
  }

  @Mutation(() => Product)
  createProduct(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('input', () => CreateProductInput) input: CreateProductInput,
  ) {
    return createProduct(em, caller, { ...input });
  }

  @FieldResolver(() => [Plan], { description: 'Active plans of this product.' })
  plans(@Root() product: Product, @Ctx() { loaders }: GraphQLContext): Promise<Plan[]> {
    return loaders.activePlansByProductId.load(product.id);
  }
}

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => PlanConnection, { description: 'Plans, newest first.' })
  async plans(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => PlanFilter, { nullable: true }) filter?: PlanFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireScope(caller, 'read:plans');
    const where: Record<string, unknown> = {};
    if (filter?.status) where.status = filter.status;
    if (filter?.productId) where.product = filter.productId;
    if (filter?.currency) where.currency = filter.currency;
    return PlanConnection.from(await paginate(em, Plan, where, { first, after }));
  }

  @Query(() => Plan)
  async plan(@Ctx() { loaders, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Plan> {
    requireScope(caller, 'read:plans');
    const plan = await loaders.planById.load(id);
    if (!plan) throw new NotFoundError('Plan', id);
    return plan;
  }

  @Mutation(() => Plan)
  createPlan(
    @Ctx() { em, caller, billing }: GraphQLContext,
    @Arg('input', () => CreatePlanInput) input: CreatePlanInput,
  ): Promise<Plan> {
    return createPlan(em, caller, { ...input }, { minutePlans: billing.minutePlans });
  }

  @Mutation(() => Plan, { description: 'Makes a new version of the plan at the new price; subscriptions keep theirs.' })
  changePlanPrice(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('input', () => ChangePlanPriceInput) input: ChangePlanPriceInput,
  ) {
    return changePlanPrice(em, caller, { ...input });
  }

  @Mutation(() => Plan, { description: 'Archived plans accept no new subscriptions.' })
  archivePlan(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Plan> {
    return archivePlan(em, caller, id);
  }

  @FieldResolver(() => Money, { description: 'Price per billing period (per unit for tiered plans).' })
  price(@Root() plan: Plan): Money {
    return Money.of({ amount: plan.amount, currency: plan.currency });
  }

  @FieldResolver(() => Product)
  async product(@Root() plan: Plan, @Ctx() { loaders }: GraphQLContext): Promise<Product> {
    const product = await loaders.productById.load(plan.product.id);
    if (!product) throw new NotFoundError('Product', plan.product.id);
    return product;
  }
}
