// `events(filter)`: what an app (its own) or an administrator (any app's) can read back, oldest first, so an app
// that was down lists what it missed after the last event it handled. Keyset pagination on `seq`: one indexed range
// scan per page, however far back.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Caller } from '../kernel/caller.js';
import { ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { isEventType } from './eventCatalog.js';
import { EVENT_COLUMNS, type EventRow } from './eventRows.js';
import { appOf } from './endpoints/endpointAccess.js';

const MAX_PAGE = 100;

export const listEventsSchema = z.object({
  types: z
    .array(z.string().refine(isEventType, 'must be event types from docs/webhooks.md'))
    .max(30)
    .nullable()
    .optional(),
  customerId: z.string().uuid('must be a customer id (UUID)').nullable().optional(),
  subscriptionId: z.string().uuid('must be a subscription id (UUID)').nullable().optional(),
  createdAfter: z.date().nullable().optional(),
  createdBefore: z.date().nullable().optional(),
  apiClientId: z
    .string()
    .uuid('must be a client app id (UUID)')
    .nullable()
    .optional()
    .describe("Administrators: one app's events only."),
});

export interface EventPage {
  nodes: EventRow[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export const eventCursor = (event: Pick<EventRow, 'seq'>) => Buffer.from(`event:${event.seq}`).toString('base64url');

function cursorSeq(cursor: string): string {
  const match = /^event:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ValidationError({ after: 'must be a cursor from a previous page of events' });
  return match[1]!;
}

export async function listEvents(
  em: EntityManager,
  caller: Caller,
  input: z.input<typeof listEventsSchema>,
  page: { first?: number | null; after?: string | null },
): Promise<EventPage> {
  const filter = parseInput(listEventsSchema, input, 'filter');
  const app = appOf(caller, 'read:events', filter.apiClientId);
  const first = page.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new ValidationError({ first: `must be a whole number from 1 to ${MAX_PAGE}` });
  }
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (app) add('e.api_client_id = ?', app);
  if (filter.types?.length) add('e.type in (select jsonb_array_elements_text(?::jsonb))', JSON.stringify(filter.types));
  if (filter.customerId) add('e.customer_id = ?', filter.customerId);
  if (filter.subscriptionId) add('e.subscription_id = ?', filter.subscriptionId);
  if (filter.createdAfter) add('e.created_at > ?', filter.createdAfter);
  if (filter.createdBefore) add('e.created_at < ?', filter.createdBefore);
  if (page.after) add('e.seq > ?', cursorSeq(page.after));
  const rows = await em.execute<EventRow[]>(
    `select ${EVENT_COLUMNS} from events e ${where.length ? `where ${where.join(' and ')}` : ''}
     order by e.seq limit ${first + 1}`,
    params,
  );
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? eventCursor(nodes.at(-1)!) : null };
}

/** One event the caller may see, or null. */
export async function findEvent(em: EntityManager, caller: Caller, id: string): Promise<EventRow | null> {
  const app = appOf(caller, 'read:events');
  if (!z.string().uuid().safeParse(id).success) return null;
  const [row] = await em.execute<EventRow[]>(
    `select ${EVENT_COLUMNS} from events e where e.id = ? ${app ? 'and e.api_client_id = ?' : ''}`,
    app ? [id, app] : [id],
  );
  return row ?? null;
}
