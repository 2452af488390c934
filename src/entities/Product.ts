import { OptionalProps } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Tracked } from './base.js';

@ObjectType({ description: 'Something a client app sells; plans price it.' })
@Entity({ tableName: 'products' })
export class Product extends Tracked {
  [OptionalProps]?: 'description' | 'features' | 'createdAt' | 'updatedAt';

  @Field({ description: 'Stable identifier apps use, e.g. in `entitlement(product: "analytics")`.' })
  @Property({ type: 'text' })
  code!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => [String])
  @Property({ type: 'json' })
  features: string[] = [];
}
