import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PaymentProviderEnum, type PaymentProvider } from './Payment.js';

export const WebhookEventStatusEnum = { ACCEPTED: 'ACCEPTED', DUPLICATE: 'DUPLICATE', REJECTED: 'REJECTED' } as const;
export type WebhookEventStatus = keyof typeof WebhookEventStatusEnum;

/** One delivery from a payment provider, exactly as it arrived. */
@Entity({ tableName: 'webhook_events' })
export class WebhookEvent {
  [OptionalProps]?: 'eventKey' | 'reason' | 'receivedAt' | 'paymentId' | 'transmissionId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => PaymentProviderEnum, nativeEnumName: 'payment_provider' })
  provider!: PaymentProvider;

  /** The provider's identity for what happened (PayPal event id; M-Pesa CheckoutRequestID and result). */
  @Property({ type: 'text', nullable: true })
  eventKey: string | null = null;

  /** PayPal's PAYPAL-TRANSMISSION-ID: signed with one body, so never accepted with another. */
  @Property({ type: 'text', nullable: true })
  transmissionId: string | null = null;

  @Enum({ items: () => WebhookEventStatusEnum, nativeEnumName: 'webhook_event_status' })
  status!: WebhookEventStatus;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  /** The payment this delivery was about, once matched. */
  @Property({ type: 'uuid', nullable: true })
  paymentId: string | null = null;

  @Property({ type: 'json' })
  headers!: Record<string, string>;

  @Property({ type: 'text' })
  rawBody!: string;

  @Property({ type: 'timestamptz' })
  receivedAt: Date = new Date();
}
