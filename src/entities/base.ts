// The columns most tables share, declared once: a UUID primary key, when the row was created and, for rows that
// change, when it last did. Each is a column (MikroORM) and a field of the GraphQL type (TypeGraphQL) alike.
import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType()
export abstract class Identified {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();
}

/** A row written once (a key, an audit event) or changed only through its own timestamps. */
@ObjectType()
export abstract class Created extends Identified {
  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A row that changes: `updatedAt` moves on every update the ORM writes. */
@ObjectType()
export abstract class Tracked extends Created {
  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
