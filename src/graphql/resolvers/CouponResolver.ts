import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { expireCoupon } from '../../catalog/expireCoupon.js';
import { requireScope } from '../../kernel/policy.js';
import { createCoupon, validateCoupon } from '../../catalog/coupons.js';
import { Coupon } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { CreateCouponInput } from '../types/inputs.js';
import { CouponValidation } from '../types/payloads.js';

@Resolver(() => Coupon)
export class CouponResolver {
  @Query(() => [Coupon])
  coupons(@Ctx() { em, caller }: GraphQLContext): Promise<Coupon[]> {
    requireScope(caller, 'read:coupons');
    return em.find(Coupon, {}, { orderBy: { createdAt: 'desc' }, limit: 100 });
  }

  @Mutation(() => Coupon)
  createCoupon(@Ctx() { em, caller }: GraphQLContext, @Arg('input', () => CreateCouponInput) input: CreateCouponInput) {
    return createCoupon(em, caller, input);
  }

  @Mutation(() => Coupon, {
    description:
      'Expires a coupon now: no new redemptions. Subscriptions that redeemed it keep their discount for its duration.',
  })
  expireCoupon(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string) {
    return expireCoupon(em, caller, id);
  }

  @Query(() => CouponValidation, { description: 'Whether a code applies to a plan now, and if not, why.' })
  async validateCoupon(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('code') code: string,
    @Arg('planId', () => ID) planId: string,
  ): Promise<CouponValidation> {
    const check = await validateCoupon(em, caller, code, planId);
    return {
      valid: check.valid,
      coupon: check.coupon,
      code: check.refusal?.code ?? null,
      reason: check.refusal?.reason ?? null,
    };
  }
}
