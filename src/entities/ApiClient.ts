import { OptionalProps } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Tracked } from './base.js';

/** A SaaS app that bills its customers through this service, authenticating with API keys. */
@ObjectType({ description: 'A client app: acts on its own customers, within its scopes.' })
@Entity({ tableName: 'api_clients' })
export class ApiClient extends Tracked {
  [OptionalProps]?: 'scopes' | 'returnOrigins' | 'disabledAt' | 'createdAt' | 'updatedAt';

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  scopes: string[] = [];

  @Field(() => [String], {
    description: 'Origins (https://host[:port]) that hosted checkout and portal pages may send customers back to.',
  })
  @Property({ type: 'text[]' })
  returnOrigins: string[] = [];

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;
}
