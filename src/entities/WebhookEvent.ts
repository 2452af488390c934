import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PaymentProviderEnum, type PaymentProvider } from './Payment.js';

export const WebhookEventStatusEnum = { ACCEPTED: 'ACCEPTED', DUPLICATE: 'DUPLICATE', REJECTED: 'REJECTED' } as const;
export type WebhookEventStatus = keyof typeof WebhookEventStatusEnum;
registerEnumType(WebhookEventStatusEnum, { name: 'ProviderDeliveryStatus' });

/** One delivery from a payment provider, exactly as it arrived. */
@ObjectType('ProviderDelivery', {
  description: 'An M-Pesa callback or PayPal webhook as it arrived (ADMIN only), and what became of it.',
})
@Entity({ tableName: 'webhook_events' })
export class WebhookEvent {
  [OptionalProps]?: 'eventKey' | 'reason' | 'receivedAt' | 'paymentId' | 'transmissionId' | 'refundId';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => PaymentProviderEnum)
  @Enum({ items: () => PaymentProviderEnum, nativeEnumName: 'payment_provider' })
  provider!: PaymentProvider;

  @Field(() => String, { nullable: true, description: 'PayPal event id; M-Pesa CheckoutRequestID and result.' })
  /** The provider's identity for what happened (PayPal event id; M-Pesa CheckoutRequestID and result). */
  @Property({ type: 'text', nullable: true })
  eventKey: string | null = null;

  @Field(() => String, { nullable: true })
  /** PayPal's PAYPAL-TRANSMISSION-ID: signed with one body, so never accepted with another. */
  @Property({ type: 'text', nullable: true })
  transmissionId: string | null = null;

  @Field(() => WebhookEventStatusEnum)
  @Enum({ items: () => WebhookEventStatusEnum, nativeEnumName: 'webhook_event_status' })
  status!: WebhookEventStatus;

  @Field(() => String, { nullable: true, description: 'Why it was refused (or taken as a duplicate).' })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The payment it was about, once matched.' })
  /** The payment this delivery was about, once matched. */
  @Property({ type: 'uuid', nullable: true })
  paymentId: string | null = null;

  @Field(() => ID, {
    nullable: true,
    description: 'The refund it was about (an M-Pesa reversal result), once matched.',
  })
  @Property({ type: 'uuid', nullable: true })
  refundId: string | null = null;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json' })
  headers!: Record<string, string>;

  @Field({ description: 'The body as received (base64 when it was not text: the reason says so).' })
  @Property({ type: 'text' })
  rawBody!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  receivedAt: Date = new Date();
}
