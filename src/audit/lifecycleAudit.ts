import type { EntityManager } from '@mikro-orm/postgresql';
import type { LifecycleAudit } from '../workflows/types.js';

/** Writes a lifecycle change's audit event on `em`'s transaction, once per key (a retried activity adds nothing). */
export async function recordLifecycleAudit(
  em: EntityManager,
  subscriptionId: string,
  audit: LifecycleAudit,
): Promise<void> {
  await em.execute(
    `insert into audit_events (id, actor_type, actor_id, action, entity, entity_id, changes, dedupe_key, created_at)
     values (gen_random_uuid(), ?, ?, ?, 'Subscription', ?, ?, ?, now())
     on conflict (dedupe_key) do nothing`,
    [audit.actorType, audit.actorId, audit.action, subscriptionId, JSON.stringify(audit.changes), audit.key],
  );
}
