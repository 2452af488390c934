import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { COUPON_DURATIONS, type CouponDuration } from '../domain/coupons.js';
import { Tracked } from './base.js';

export const CouponDurationEnum = Object.fromEntries(COUPON_DURATIONS.map((v) => [v, v])) as {
  [K in CouponDuration]: K;
};
registerEnumType(CouponDurationEnum, {
  name: 'CouponDuration',
  description: 'ONCE, REPEATING (n periods) or FOREVER.',
});

@ObjectType({ description: 'A discount code: a percentage, or a fixed amount per currency.' })
@Entity({ tableName: 'coupons' })
export class Coupon extends Tracked {
  [OptionalProps]?:
    | 'percentOffBasisPoints'
    | 'amountsOff'
    | 'durationInPeriods'
    | 'maxRedemptions'
    | 'timesRedeemed'
    | 'redeemBy'
    | 'planIds'
    | 'active'
    | 'createdAt'
    | 'updatedAt';

  @Field({ description: 'What customers type, in capitals, e.g. KARIBU20.' })
  @Property({ type: 'text' })
  code!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Int, { nullable: true, description: '1250 is 12.5 % off.' })
  @Property({ type: 'integer', nullable: true })
  percentOffBasisPoints: number | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Minor units off per currency, e.g. {"KES": 50000}.' })
  @Property({ type: 'json', nullable: true })
  amountsOff: Record<string, number> | null = null;

  @Field(() => CouponDurationEnum)
  @Enum({ items: () => CouponDurationEnum, nativeEnumName: 'coupon_duration' })
  duration!: CouponDuration;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  durationInPeriods: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  maxRedemptions: number | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  timesRedeemed: number = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  redeemBy: Date | null = null;

  @Field(() => [String], { nullable: true, description: 'Plans it is limited to; null means any plan.' })
  @Property({ type: 'uuid[]', nullable: true })
  planIds: string[] | null = null;

  @Field()
  @Property({ type: 'boolean' })
  active: boolean = true;
}
