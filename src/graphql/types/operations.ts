import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PaymentProviderEnum, type PaymentProvider } from '../../entities/paymentProvider.js';
import { Subscription } from '../../entities/Subscription.js';
import { WebhookEventStatusEnum, type WebhookEventStatus } from '../../entities/WebhookEvent.js';
import type { WorkflowCheck } from '../../operations/stuckSubscriptions.js';

export const DeliverySortEnum = { REJECTED_FIRST: 'REJECTED_FIRST', RECEIVED_AT: 'RECEIVED_AT' } as const;
registerEnumType(DeliverySortEnum, {
  name: 'ProviderDeliverySort',
  description: 'REJECTED_FIRST (DESC): refused deliveries first, each group newest first.',
});
export const NoticeTroubleEnum = { FAILED: 'FAILED', RETRYING: 'RETRYING' } as const;
registerEnumType(NoticeTroubleEnum, {
  name: 'NoticeTrouble',
  description: 'FAILED: given up (refused, or out of attempts). RETRYING: failed at least once, tried again later.',
});

@InputType()
export class ProviderDeliveryFilter {
  @Field(() => PaymentProviderEnum, { nullable: true }) provider?: PaymentProvider | null;
  @Field(() => WebhookEventStatusEnum, { nullable: true }) status?: WebhookEventStatus | null;
  @Field(() => ID, { nullable: true }) paymentId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Received at or after.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Received before.' }) to?: Date | null;
}

@InputType()
export class NoticeFilter {
  @Field(() => NoticeTroubleEnum, { nullable: true, description: 'Both when absent.' }) trouble?:
    'FAILED' | 'RETRYING' | null;
  @Field(() => String, { nullable: true }) kind?: string | null;
  @Field(() => String, { nullable: true }) recipient?: string | null;
}

@ObjectType()
export class SubscriptionWithoutWorkflow {
  @Field(() => Subscription) subscription!: Subscription;
  @Field(() => String, {
    nullable: true,
    description:
      'How its last workflow ended (COMPLETED, FAILED, TERMINATED, CANCELED, TIMED_OUT, CONTINUED_AS_NEW); null: it never had one (startSubscriptionWorkflow fixes that).',
  })
  lastRun!: string | null;
}

@ObjectType({ description: 'One page of live subscriptions checked against Temporal.' })
export class WorkflowCheckPayload {
  @Field(() => Int) checked!: number;
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` to check the next page.' })
  endCursor!: string | null;
  @Field(() => [SubscriptionWithoutWorkflow]) notRunning!: SubscriptionWithoutWorkflow[];

  static of(check: WorkflowCheck): WorkflowCheckPayload {
    return Object.assign(new WorkflowCheckPayload(), {
      ...check,
      notRunning: check.notRunning.map((row) => Object.assign(new SubscriptionWithoutWorkflow(), row)),
    });
  }
}
