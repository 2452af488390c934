// Value objects stored as JSON columns and exposed as GraphQL types.
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A postal address.' })
export class Address {
  @Field() line1!: string;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field() city!: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field({ description: 'ISO 3166-1 alpha-2, e.g. KE.' }) country!: string;
}

@ObjectType({ description: 'Which notices a customer wants. Receipts and payment problems are always sent.' })
export class NotificationPreferences {
  @Field() renewalReminders: boolean = true;
  @Field() trialEndingReminders: boolean = true;
  @Field() productUpdates: boolean = false;
}

@ObjectType({
  description:
    'One pricing tier: units up to `upTo` (null: no upper bound) cost `unitAmount` each plus `flatAmount` once.',
})
export class PriceTierType {
  @Field(() => Number, { nullable: true }) upTo!: number | null;
  @Field() unitAmount!: number;
  @Field() flatAmount!: number;
}
