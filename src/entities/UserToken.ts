import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { User } from './User.js';

export const USER_TOKEN_KINDS = { EMAIL_VERIFICATION: 'EMAIL_VERIFICATION', PASSWORD_RESET: 'PASSWORD_RESET' } as const;
export type UserTokenKind = keyof typeof USER_TOKEN_KINDS;

/** One-time tokens sent by email; stored as digests, usable once, until they expire. */
@Entity({ tableName: 'user_tokens' })
export class UserToken {
  [OptionalProps]?: 'usedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Enum({ items: () => USER_TOKEN_KINDS, nativeEnumName: 'user_token_kind' })
  kind!: UserTokenKind;

  @Property({ type: 'blob' })
  tokenHash!: Buffer;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
