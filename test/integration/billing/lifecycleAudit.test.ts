// Lifecycle audit events commit with the change they describe, once per Update, however often its activity runs.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setCancelAtPeriodEnd } from '../../../src/billing/changes/setCancelAtPeriodEnd.js';
import type { Orm } from '../../../src/db/orm.js';
import { AuditEvent, Subscription } from '../../../src/entities/index.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';

describe('lifecycle audit events', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await testOrm();
  });
  afterAll(async () => {
    await orm?.close();
  });

  it('are written once per Update, in the transaction of the change', async () => {
    const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, { trialDays: 0 })]);
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status: 'ACTIVE',
      billingAnchor: new Date(),
    });
    await em.flush();
    const audit = {
      actorType: 'API_CLIENT',
      actorId: randomUUID(),
      action: 'subscription.cancel_at_period_end',
      changes: { atPeriodEnd: true },
      key: `update:${randomUUID()}`,
    };
    const input = { subscriptionId: subscription.id, cancel: true, at: new Date().toISOString(), audit };
    await setCancelAtPeriodEnd(orm.em, input);
    // The activity retried (its first answer was lost): the change and its record are there once.
    await setCancelAtPeriodEnd(orm.em, input);
    const trail = await orm.em.fork().find(AuditEvent, { entity: 'Subscription', entityId: subscription.id });
    expect(trail.map((event) => [event.action, event.actorType, event.actorId, event.changes])).toEqual([
      ['subscription.cancel_at_period_end', 'API_CLIENT', audit.actorId, { atPeriodEnd: true }],
    ]);

    // A change that fails leaves no record of itself.
    const missing = randomUUID();
    await expect(
      setCancelAtPeriodEnd(orm.em, {
        ...input,
        subscriptionId: missing,
        audit: { ...audit, key: `update:${randomUUID()}` },
      }),
    ).rejects.toThrow();
    expect(await orm.em.fork().count(AuditEvent, { entityId: missing })).toBe(0);
  });
});
