import { OptionalProps } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Created } from './base.js';

/** Who changed what, when: written in the same transaction as the change. */
@ObjectType()
@Entity({ tableName: 'audit_events' })
export class AuditEvent extends Created {
  [OptionalProps]?: 'actorId' | 'changes' | 'createdAt';

  @Field({
    description: 'USER, API_CLIENT, SYSTEM, ANONYMOUS, or OPERATOR (a lifecycle Update sent through Temporal by hand).',
  })
  @Property({ type: 'text' })
  actorType!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  actorId: string | null = null;

  @Field()
  @Property({ type: 'text' })
  action!: string;

  @Field()
  @Property({ type: 'text' })
  entity!: string;

  @Field()
  @Property({ type: 'text' })
  entityId!: string;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json' })
  changes: Record<string, unknown> = {};
}
