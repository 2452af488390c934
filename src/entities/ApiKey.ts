import { OptionalProps } from '@mikro-orm/core';
import { Entity, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { ApiClient } from './ApiClient.js';
import { Created } from './base.js';

/** Only a digest of the key is stored; the key itself is shown once, when it is created. */
@ObjectType({ description: 'An API key of a client app (the secret is never readable after creation).' })
@Entity({ tableName: 'api_keys' })
export class ApiKey extends Created {
  [OptionalProps]?: 'lastUsedAt' | 'revokedAt' | 'createdAt';

  @ManyToOne(() => ApiClient, { deleteRule: 'cascade' })
  apiClient!: ApiClient;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'The first characters of the key, to recognise it.' })
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'blob', hidden: true })
  keyHash!: Buffer;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
