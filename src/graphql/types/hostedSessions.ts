import { Field, Int, ObjectType } from 'type-graphql';
import type { HostedSessionLink as Link } from '../../hosted/hostedSessions.js';
import type { HostedSessionLogin as Login } from '../../hosted/redeemHostedSession.js';
import { Customer, Plan } from '../../entities/index.js';
import { HostedSessionKindEnum, type HostedSessionKind } from '../../entities/HostedSession.js';

@ObjectType({ description: 'A one-time link to a hosted page: send the customer there before it expires.' })
export class HostedSessionLink implements Link {
  @Field({ description: '`PUBLIC_URL/hosted/<token>`; opens once.' }) url!: string;
  @Field() expiresAt!: Date;
}

@ObjectType({
  description:
    'An opened hosted page: an access token for that one customer (send it as `Authorization: Bearer …`; no refresh), and what the page is for.',
})
export class HostedSessionLogin implements Login {
  @Field(() => HostedSessionKindEnum) kind!: HostedSessionKind;
  @Field() accessToken!: string;
  @Field() accessTokenExpiresAt!: Date;
  @Field(() => Customer) customer!: Customer;
  @Field(() => Plan, { nullable: true, description: 'CHECKOUT: the plan to subscribe to.' }) plan!: Plan | null;
  @Field(() => Int, { nullable: true, description: 'CHECKOUT: units (seats).' }) quantity!: number | null;
  @Field(() => String, { nullable: true, description: 'CHECKOUT: a coupon code to offer.' }) couponCode!: string | null;
  @Field(() => String, { nullable: true, description: 'CHECKOUT: where to go once subscribed.' }) successUrl!:
    string | null;
  @Field(() => String, { nullable: true, description: 'CHECKOUT: where to go when the customer gives up.' })
  cancelUrl!: string | null;
  @Field(() => String, { nullable: true, description: 'PORTAL: the way back to the app.' }) returnUrl!: string | null;
  @Field({ description: 'The client app that sent the customer.' }) appName!: string;
}
