import { OptionalProps } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Tracked } from './base.js';

/** A SaaS app that bills its customers through this service, authenticating with API keys. */
@ObjectType({ description: 'A client app: acts on its own customers, within its scopes.' })
@Entity({ tableName: 'api_clients' })
export class ApiClient extends Tracked {
  [OptionalProps]?: 'scopes' | 'disabledAt' | 'createdAt' | 'updatedAt';

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  scopes: string[] = [];

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;
}
