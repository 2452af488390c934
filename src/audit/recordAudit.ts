import type { EntityManager } from '@mikro-orm/postgresql';
import { actorOf, type Caller } from '../kernel/caller.js';
import { AuditEvent } from '../entities/index.js';

/** Adds an audit event to the unit of work, so it commits (or rolls back) with the change it describes. */
export function recordAudit(
  em: EntityManager,
  caller: Caller,
  action: string,
  entity: string,
  entityId: string,
  changes: Record<string, unknown> = {},
): void {
  em.create(AuditEvent, { ...actorOf(caller), action, entity, entityId, changes });
}
