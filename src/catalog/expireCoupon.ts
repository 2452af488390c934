// Expire a coupon now: nobody can redeem it from here on. Subscriptions that already redeemed it keep the discount
// for the periods they were promised (its duration), as they were promised it when they subscribed.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/recordAudit.js';
import { Coupon } from '../entities/index.js';
import type { Caller } from '../kernel/caller.js';
import { NotFoundError } from '../kernel/errors.js';
import { requireScope } from '../kernel/policy.js';

export async function expireCoupon(em: EntityManager, caller: Caller, id: string): Promise<Coupon> {
  requireScope(caller, 'write:coupons');
  const coupon = await em.findOne(Coupon, { id });
  if (!coupon) throw new NotFoundError('Coupon', id);
  if (!coupon.active) return coupon; // already expired: asking twice changes nothing
  coupon.active = false;
  recordAudit(em, caller, 'coupon.expired', 'Coupon', coupon.id, { code: coupon.code });
  await em.flush();
  return coupon;
}
