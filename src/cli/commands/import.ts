import { Command } from 'commander';
import type { GraphQLClient } from '../client.js';
import { contextOf, integer } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { BATCH_SIZE, inParallel, sendBatch, type BatchSpec } from '../import/batches.js';
import { readCsv, type Columns, type CsvRow } from '../import/csvFile.js';
import {
  checkCustomerRows,
  CUSTOMER_COLUMNS,
  type CustomerRow,
  type KeyedRow,
  type RejectedRow,
} from '../import/customerRows.js';
import { Progress } from '../import/progress.js';
import { checkSubscriptionRows, SUBSCRIPTION_COLUMNS, type SubscriptionRow } from '../import/subscriptionRows.js';
import { writeRejectedReport } from '../import/rejectedReport.js';
import { ImportState } from '../import/stateFile.js';

interface ImportOptions {
  concurrency: number;
  report?: string;
  progress: boolean;
}

export interface ImportSummary {
  file: string;
  rows: number;
  imported: number;
  alreadyThere: number;
  rejected: number;
  report: string | null;
  seconds: number;
}

const CUSTOMERS: ImportKind<CustomerRow> = {
  columns: CUSTOMER_COLUMNS,
  check: async (rows) => checkCustomerRows(rows),
  spec: customerSpec,
};

const SUBSCRIPTIONS: ImportKind<SubscriptionRow> = {
  columns: SUBSCRIPTION_COLUMNS,
  check: checkSubscriptionRows,
  // The idempotency key answers a repeated row with its subscription, not an error: nothing to judge.
  spec: () => ({
    mutation: 'subscribe',
    inputType: 'SubscribeInput',
    input: (row) => row.input,
    judge: async () => false,
  }),
};

/** A row whose create failed is already there when the API holds a customer with its key (externalId). */
function customerSpec(client: GraphQLClient): BatchSpec<CustomerRow> {
  return {
    mutation: 'createCustomer',
    inputType: 'CreateCustomerInput',
    input: (row) => row.input,
    async judge(row, error) {
      if (error.code !== 'CONFLICT') return false;
      if (error.extensions.field === 'input.externalId') return true;
      // The email is taken: by this row's customer (imported before), or by someone else (a real duplicate).
      const { customers } = await client.request<{ customers: { edges: { node: { externalId: string | null } }[] } }>(
        'query ($email: String!) { customers(filter: { email: $email }, first: 1) { edges { node { externalId } } } }',
        { email: row.input.email },
      );
      return customers.edges[0]?.node.externalId === row.key;
    },
  };
}

/** What one kind of import (customers, subscriptions) brings to the common run. */
export interface ImportKind<Row extends KeyedRow> {
  columns: Columns;
  check(rows: CsvRow[], client: GraphQLClient): Promise<{ good: Row[]; rejected: RejectedRow[] }>;
  spec(client: GraphQLClient): BatchSpec<Row>;
}

async function runImport<Row extends KeyedRow>(
  kind: ImportKind<Row>,
  file: string,
  options: ImportOptions,
  command: Command,
) {
  const { client, format } = await contextOf(command);
  const started = Date.now();
  const { header, rows } = await readCsv(file, kind.columns);
  const { good, rejected } = await kind.check(rows, client);
  const state = await ImportState.open(file);
  const toSend = good.filter((row) => !state.done.has(row.key));
  let alreadyThere = good.length - toSend.length;
  let imported = 0;
  const progress = new Progress(good.length, 'importing', !options.progress);
  progress.skip(alreadyThere);
  const spec = kind.spec(client);
  const batches: Row[][] = [];
  for (let i = 0; i < toSend.length; i += BATCH_SIZE) batches.push(toSend.slice(i, i + BATCH_SIZE));
  await inParallel(batches, options.concurrency, async (batch) => {
    const outcome = await sendBatch(client, spec, batch);
    await state.confirm(outcome.done.map(({ row }) => row.key));
    const existed = outcome.done.filter((done) => done.existed).length;
    alreadyThere += existed;
    imported += outcome.done.length - existed;
    rejected.push(...outcome.rejected.map(({ row, reason }) => rejectedFrom(row, reason, rows)));
    progress.advance(batch.length);
  });
  const report = rejected.length ? (options.report ?? `${file}.rejected.csv`) : null;
  if (report) await writeRejectedReport(report, header, rejected);
  const summary: ImportSummary = {
    file,
    rows: rows.length,
    imported,
    alreadyThere,
    rejected: rejected.length,
    report,
    seconds: (Date.now() - started) / 1000,
  };
  if (format === 'json') process.stdout.write(`${JSON.stringify({ ...summary, rejectedRows: rejected }, null, 2)}\n`);
  else {
    for (const row of [...rejected].sort((a, b) => a.line - b.line)) {
      process.stdout.write(`line ${row.line}: ${row.reason}\n`);
    }
    process.stdout.write(
      `${file}: ${imported} imported, ${alreadyThere} already there, ${rejected.length} rejected` +
        `${report ? ` (see ${report})` : ''} in ${summary.seconds.toFixed(1)} s\n`,
    );
  }
  if (rejected.length) process.exitCode = EXIT.ROWS_REJECTED;
}

function rejectedFrom(row: KeyedRow, reason: string, rows: { line: number; values: Record<string, string> }[]) {
  const values = rows.find((candidate) => candidate.line === row.line)?.values ?? {};
  return { line: row.line, reason, values } satisfies RejectedRow;
}

/** The file argument and the options every import takes, running `kind`. */
function importing<Row extends KeyedRow>(command: Command, kind: ImportKind<Row>): Command {
  return command
    .argument('<file>', 'the CSV file')
    .option('--concurrency <n>', 'requests in flight', integer('--concurrency'), 4)
    .option('--report <file>', 'where to write the rejected rows (default FILE.rejected.csv)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (file: string, options: ImportOptions, sub: Command) => {
      if (options.concurrency < 1) throw new CliError('--concurrency must be at least 1', EXIT.USAGE);
      await runImport(kind, file, options, sub);
    });
}

export function importCommand(): Command {
  const command = new Command('import').description('import records from another system, from CSV files');
  importing(
    command
      .command('customers')
      .description(
        'import customers from a CSV with a header email,name[,phone][,external_id][,locale]; bad rows are reported ' +
          'with their line and reason (and in FILE.rejected.csv), good rows are created once: running it again, ' +
          'or after an interruption, creates nothing twice',
      ),
    CUSTOMERS,
  );

  importing(
    command
      .command('subscriptions')
      .description(
        'subscribe imported customers from a CSV with a header customer_external_id,plan_id[,quantity][,coupon]; ' +
          'unknown customers and plans are reported with their line; each row subscribes once (an idempotency key ' +
          'from the customer and the plan), also when run again',
      ),
    SUBSCRIPTIONS,
  );

  return command;
}
