// Sends rows as batches of aliased mutations (one HTTP request creates up to BATCH_SIZE rows), a few batches in
// flight. GraphQL runs a request's mutations in order and stops at the first one that fails: the rows before it are
// done, the failed one is judged on its own, the rows after it go again in a new batch.
import type { GraphQLClient } from '../client.js';
import { errorFrom } from '../client.js';
import { EXIT, type CliError } from '../errors.js';

/** Under the API's alias limit (src/graphql/limits.ts, 30). */
export const BATCH_SIZE = 25;

export interface BatchSpec<Row> {
  /** The mutation field and its input type, e.g. createCustomer / CreateCustomerInput. */
  mutation: string;
  inputType: string;
  input: (row: Row) => Record<string, unknown>;
  /** A failed row: true when it is in fact already there (a retry, a resumed import); false to reject it. */
  judge: (row: Row, error: CliError) => Promise<boolean>;
}

export interface BatchOutcome<Row> {
  /** Created now, or found already there. */
  done: { row: Row; existed: boolean }[];
  rejected: { row: Row; reason: string }[];
}

export async function sendBatch<Row>(
  client: GraphQLClient,
  spec: BatchSpec<Row>,
  rows: Row[],
): Promise<BatchOutcome<Row>> {
  const outcome: BatchOutcome<Row> = { done: [], rejected: [] };
  let pending = rows;
  while (pending.length > 0) {
    const variables = Object.fromEntries(pending.map((row, i) => [`r${i}`, spec.input(row)]));
    const document = `mutation (${pending.map((_, i) => `$r${i}: ${spec.inputType}!`).join(', ')}) {
      ${pending.map((_, i) => `r${i}: ${spec.mutation}(input: $r${i}) { id }`).join('\n')}
    }`;
    const answer = await client.raw(document, variables);
    const failure = answer.errors?.[0];
    if (!failure) {
      outcome.done.push(...pending.map((row) => ({ row, existed: false })));
      return outcome;
    }
    const alias = failure.path?.[0];
    const index = typeof alias === 'string' && /^r\d+$/.test(alias) ? Number(alias.slice(1)) : -1;
    const error = errorFrom(failure);
    // Not one row's fault (credentials, limits, the server): stop, the state file keeps what was confirmed.
    if (index < 0 || index >= pending.length) throw error;
    outcome.done.push(...pending.slice(0, index).map((row) => ({ row, existed: false })));
    const failed = pending[index]!;
    if (error.exitCode !== EXIT.REFUSED) throw error;
    if (await spec.judge(failed, error)) outcome.done.push({ row: failed, existed: true });
    else outcome.rejected.push({ row: failed, reason: error.message });
    pending = pending.slice(index + 1);
  }
  return outcome;
}

/** Runs `work` over `items` with at most `concurrency` at once, in order of starting. */
export async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
