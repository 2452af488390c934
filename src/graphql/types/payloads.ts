import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ENTITLEMENT_REASONS, type EntitlementReason } from '../../billing/entitlement.js';
import { ApiKey, Coupon, User } from '../../entities/index.js';
import { SubscriptionStatusEnum } from '../../entities/Subscription.js';
import type { SubscriptionStatus } from '../../domain/subscriptionStatus.js';

@ObjectType({
  description: 'A signed-in session: send accessToken as `Authorization: Bearer …`; refresh before it expires.',
})
export class AuthPayload {
  @Field() accessToken!: string;
  @Field() accessTokenExpiresAt!: Date;
  @Field({
    description:
      'Single use: each refresh returns a new one. Reusing an old one signs out every session of that login.',
  })
  refreshToken!: string;
  @Field() refreshTokenExpiresAt!: Date;
  @Field(() => User) user!: User;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field({ description: 'The key itself, shown only now: store it safely.' }) key!: string;
}

@ObjectType({ description: 'Whether a coupon code applies to a plan now, and if not, why.' })
export class CouponValidation {
  @Field() valid!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'INACTIVE, EXPIRED, EXHAUSTED, PLAN_NOT_ELIGIBLE, CURRENCY_NOT_SUPPORTED or NOT_FOUND.',
  })
  code!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Coupon, { nullable: true }) coupon!: Coupon | null;
}

const EntitlementReasonEnum = Object.fromEntries(Object.keys(ENTITLEMENT_REASONS).map((k) => [k, k])) as {
  [K in EntitlementReason]: K;
};
registerEnumType(EntitlementReasonEnum, {
  name: 'EntitlementReason',
  description: 'Why access is granted or not.',
  valuesConfig: Object.fromEntries(
    Object.entries(ENTITLEMENT_REASONS).map(([key, description]) => [key, { description }]),
  ) as Record<EntitlementReason, { description: string }>,
});

@ObjectType({ description: "Whether a client app's customer may use a product now." })
export class EntitlementPayload {
  @Field() granted!: boolean;
  @Field(() => EntitlementReasonEnum) reason!: EntitlementReason;
  @Field({ description: 'The reason in words, with what to do about it.' }) message!: string;
  @Field(() => SubscriptionStatusEnum, { nullable: true }) status!: SubscriptionStatus | null;
  @Field(() => ID, { nullable: true }) subscriptionId!: string | null;
  @Field(() => ID, { nullable: true }) planId!: string | null;
  @Field(() => String, { nullable: true }) planName!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the paid (or trial) period ends.' }) periodEnd!: Date | null;
  @Field(() => [String]) features!: string[];
  @Field(() => GraphQLJSONObject) limits!: Record<string, number>;
}
