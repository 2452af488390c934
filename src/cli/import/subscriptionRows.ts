// Subscription rows: the customer named by the external id it was imported with, a plan of the catalog. Plans are
// read once; customers are looked up BATCH_SIZE to a request. Each row's subscribe carries an idempotency key
// derived from the customer and the plan, so a row sent twice makes one subscription.
import { createHash } from 'node:crypto';
import type { GraphQLClient } from '../client.js';
import { BATCH_SIZE } from './batches.js';
import type { Columns, CsvRow } from './csvFile.js';
import type { KeyedRow, RejectedRow } from './customerRows.js';

export const SUBSCRIPTION_COLUMNS: Columns = {
  required: ['customer_external_id', 'plan_id'],
  optional: ['quantity', 'coupon'],
};

export interface SubscriptionRow extends KeyedRow {
  input: { customerId: string; planId: string; quantity?: number; couponCode?: string; idempotencyKey: string };
}

async function planStatuses(client: GraphQLClient): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    const {
      plans,
    }: {
      plans: {
        edges: { node: { id: string; status: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await client.request(
      'query ($after: String) { plans(first: 100, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    for (const { node } of plans.edges) statuses.set(node.id, node.status);
    if (!plans.pageInfo.hasNextPage) return statuses;
    after = plans.pageInfo.endCursor;
  }
}

async function customerIds(client: GraphQLClient, externalIds: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < externalIds.length; i += BATCH_SIZE) {
    const chunk = externalIds.slice(i, i + BATCH_SIZE);
    const data = await client.request<Record<string, { edges: { node: { id: string } }[] }>>(
      `query (${chunk.map((_, j) => `$e${j}: String`).join(', ')}) {
        ${chunk.map((_, j) => `c${j}: customers(filter: { externalId: $e${j} }, first: 1) { edges { node { id } } }`).join('\n')}
      }`,
      Object.fromEntries(chunk.map((id, j) => [`e${j}`, id])),
    );
    chunk.forEach((externalId, j) => {
      const id = data[`c${j}`]?.edges[0]?.node.id;
      if (id) ids.set(externalId, id);
    });
  }
  return ids;
}

export async function checkSubscriptionRows(
  rows: CsvRow[],
  client: GraphQLClient,
): Promise<{ good: SubscriptionRow[]; rejected: RejectedRow[] }> {
  const rejected: RejectedRow[] = [];
  const plans = await planStatuses(client);
  const seen = new Map<string, number>();
  const candidates: (CsvRow & { key: string; quantity?: number })[] = [];
  for (const row of rows) {
    const reject = (reason: string) => rejected.push({ line: row.line, reason, values: row.values });
    const customer = row.values.customer_external_id ?? '';
    const plan = row.values.plan_id ?? '';
    const quantity = row.values.quantity ? Number(row.values.quantity) : undefined;
    if (!customer) reject('customer_external_id must not be empty');
    else if (!plans.has(plan)) reject(`unknown plan ${plan || '(empty)'}`);
    else if (plans.get(plan) !== 'ACTIVE') reject(`plan ${plan} is ${plans.get(plan)}, not ACTIVE`);
    else if (quantity !== undefined && !(Number.isInteger(quantity) && quantity >= 1)) {
      reject(`quantity must be a whole number of at least 1, got "${row.values.quantity}"`);
    } else {
      const key = `${customer}\u0000${plan}`;
      const first = seen.get(key);
      if (first !== undefined) reject(`duplicate subscription of ${customer} to ${plan}: already on line ${first}`);
      else {
        seen.set(key, row.line);
        candidates.push({ ...row, key, quantity });
      }
    }
  }
  const ids = await customerIds(client, [...new Set(candidates.map((c) => c.values.customer_external_id!))]);
  const good: SubscriptionRow[] = [];
  for (const row of candidates) {
    const customerId = ids.get(row.values.customer_external_id!);
    if (!customerId) {
      rejected.push({
        line: row.line,
        reason: `no customer with external id ${row.values.customer_external_id}`,
        values: row.values,
      });
      continue;
    }
    good.push({
      line: row.line,
      key: row.key,
      input: {
        customerId,
        planId: row.values.plan_id!,
        ...(row.quantity ? { quantity: row.quantity } : {}),
        ...(row.values.coupon ? { couponCode: row.values.coupon } : {}),
        idempotencyKey: `import-subscription:${createHash('sha256').update(row.key).digest('hex')}`,
      },
    });
  }
  return { good, rejected };
}
