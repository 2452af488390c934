// Provider deliveries as stored (src/payments/webhooks/): M-Pesa callbacks and PayPal webhooks with their headers and
// raw body, refused ones first by default, for an operator checking why money did not move. ADMIN only.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookEvent, type WebhookEventStatus } from '../entities/WebhookEvent.js';
import type { PaymentProvider } from '../entities/paymentProvider.js';
import { paginate, type Page, type PageArgs, type SortDirection, type SortKey } from '../graphql/pagination.js';
import type { Caller } from '../kernel/caller.js';
import { requireAdmin } from '../kernel/policy.js';
import { range } from '../search/listFilters.js';

export interface DeliverySearch {
  provider?: PaymentProvider | null;
  status?: WebhookEventStatus | null;
  paymentId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const RECEIVED_AT: SortKey<WebhookEvent> = {
  name: 'RECEIVED_AT',
  column: (a) => `${a}.received_at`,
  value: (d) => d.receivedAt,
};

export const DELIVERY_SORTS: Record<'REJECTED_FIRST' | 'RECEIVED_AT', SortKey<WebhookEvent>> = {
  // Descending: refused deliveries (true) before the rest, each newest first.
  REJECTED_FIRST: {
    name: 'REJECTED_FIRST',
    column: (a) => `(${a}.status = 'REJECTED')`,
    value: (d) => d.status === 'REJECTED',
    then: RECEIVED_AT,
  },
  RECEIVED_AT,
};
export type DeliverySort = keyof typeof DELIVERY_SORTS;

export function providerDeliveries(
  em: EntityManager,
  caller: Caller,
  filter: DeliverySearch | null | undefined,
  page: PageArgs & { sort?: DeliverySort | null; direction?: SortDirection | null },
): Promise<Page<WebhookEvent>> {
  requireAdmin(caller);
  const where: Record<string, unknown> = {};
  if (filter?.provider) where.provider = filter.provider;
  if (filter?.status) where.status = filter.status;
  if (filter?.paymentId) where.paymentId = filter.paymentId;
  const received = range('filter.to', filter?.from, filter?.to);
  if (received) where.receivedAt = received;
  return paginate(em, WebhookEvent, where, { ...page, sort: DELIVERY_SORTS[page.sort ?? 'REJECTED_FIRST'] });
}
