// Operators' commands (administrators: `billing login` as an ADMIN user): what docs/operations.md asks about first.
import { Command } from 'commander';
import { contextOf, integer } from '../context.js';
import { printRecord, printRows, type Column } from '../output.js';
import { listAction, pageVariables, withPaging, type PageOptions } from './paging.js';

interface PastDue {
  subscriptionId: string;
  invoiceId: string;
  amountDue: { formatted: string };
  dueAt: string;
  failedAttempts: number;
  retriesLeft: number;
  nextRetryAt: string | null;
  lastFailureCode: string | null;
  hardDecline: boolean;
}

interface StuckPayment {
  id: string;
  provider: string;
  createdAt: string;
  attempt: number;
  amount: { formatted: string };
  invoice: { id: string; number: string };
}

interface Notice {
  id: string;
  kind: string;
  recipient: string;
  attempts: number;
  lastError: string | null;
  failedAt: string | null;
  nextAttemptAt: string | null;
}

interface Delivery {
  id: string;
  provider: string;
  status: string;
  reason: string | null;
  paymentId: string | null;
  receivedAt: string;
}

const PAST_DUE: Column<PastDue>[] = [
  { header: 'SUBSCRIPTION', value: (p) => p.subscriptionId },
  { header: 'INVOICE', value: (p) => p.invoiceId },
  { header: 'DUE', value: (p) => p.amountDue },
  { header: 'SINCE', value: (p) => p.dueAt },
  { header: 'FAILED', value: (p) => p.failedAttempts },
  { header: 'RETRIES LEFT', value: (p) => (p.hardDecline ? '0 (hard decline)' : p.retriesLeft) },
  { header: 'NEXT RETRY', value: (p) => p.nextRetryAt },
  { header: 'LAST FAILURE', value: (p) => p.lastFailureCode },
];

const STUCK: Column<StuckPayment>[] = [
  { header: 'PAYMENT', value: (p) => p.id },
  { header: 'PROVIDER', value: (p) => p.provider },
  { header: 'AMOUNT', value: (p) => p.amount },
  { header: 'ATTEMPT', value: (p) => p.attempt },
  { header: 'SINCE', value: (p) => p.createdAt },
  { header: 'INVOICE', value: (p) => `${p.invoice.number} (${p.invoice.id})` },
];

const NOTICES: Column<Notice>[] = [
  { header: 'ID', value: (n) => n.id },
  { header: 'KIND', value: (n) => n.kind },
  { header: 'RECIPIENT', value: (n) => n.recipient },
  { header: 'ATTEMPTS', value: (n) => n.attempts },
  { header: 'STATE', value: (n) => (n.failedAt ? 'FAILED' : `retrying ${n.nextAttemptAt ?? ''}`) },
  { header: 'LAST ERROR', value: (n) => n.lastError },
];

const DELIVERIES: Column<Delivery>[] = [
  { header: 'ID', value: (d) => d.id },
  { header: 'PROVIDER', value: (d) => d.provider },
  { header: 'STATUS', value: (d) => d.status },
  { header: 'RECEIVED', value: (d) => d.receivedAt },
  { header: 'PAYMENT', value: (d) => d.paymentId },
  { header: 'REASON', value: (d) => d.reason },
];

export function opsCommand(): Command {
  const ops = new Command('ops').description("operators' commands (administrators): what needs a look, and fixes");

  ops
    .command('past-due')
    .description('PAST_DUE subscriptions, oldest due first, with the retries dunning will still make')
    .option('--first <n>', 'how many', integer('--first'), 50)
    .action(async (options: { first: number }, command: Command) => {
      const { client, format } = await contextOf(command);
      const { pastDueSubscriptions } = await client.request<{ pastDueSubscriptions: PastDue[] }>(
        `query ($first: Int) { pastDueSubscriptions(first: $first) { subscriptionId invoiceId amountDue { formatted }
          dueAt failedAttempts retriesLeft nextRetryAt lastFailureCode hardDecline } }`,
        { first: options.first },
      );
      printRows(pastDueSubscriptions, PAST_DUE, format);
    });

  ops
    .command('stuck-payments')
    .description('payments PENDING for longer than --older-than minutes, oldest first')
    .option('--older-than <minutes>', 'minutes', integer('--older-than'), 15)
    .action(async (options: { olderThan: number }, command: Command) => {
      const { client, format } = await contextOf(command);
      const { stuckPayments } = await client.request<{ stuckPayments: StuckPayment[] }>(
        `query ($minutes: Int) { stuckPayments(olderThanMinutes: $minutes) { id provider createdAt attempt
          amount { formatted } invoice { id number } } }`,
        { minutes: options.olderThan },
      );
      printRows(stuckPayments, STUCK, format);
    });

  ops
    .command('check-payment')
    .description('ask the provider about a PENDING payment now (never charges again)')
    .argument('<paymentId>', 'payment id')
    .action(async (paymentId: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { checkPaymentNow } = await client.request<{ checkPaymentNow: Record<string, unknown> }>(
        'mutation ($id: ID!) { checkPaymentNow(paymentId: $id) { id status provider failureCode } }',
        { id: paymentId },
      );
      printRecord(checkPaymentNow, format);
    });

  ops
    .command('without-workflow')
    .description('live subscriptions whose Temporal workflow is not running (a page, checked against Temporal)')
    .option('--first <n>', 'how many to check (at most 100)', integer('--first'), 100)
    .option('--after <cursor>', 'the cursor printed under the previous page')
    .action(async (options: PageOptions, command: Command) => {
      const { client, format } = await contextOf(command);
      const { subscriptionsWithoutWorkflow: page } = await client.request<{
        subscriptionsWithoutWorkflow: {
          checked: number;
          hasNextPage: boolean;
          endCursor: string | null;
          notRunning: { lastRun: string | null; subscription: { id: string; status: string } }[];
        };
      }>(
        `query ($first: Int, $after: String) { subscriptionsWithoutWorkflow(first: $first, after: $after) {
          checked hasNextPage endCursor notRunning { lastRun subscription { id status } } } }`,
        pageVariables(options),
      );
      if (page.hasNextPage) process.stderr.write(`${page.checked} checked; next page: --after ${page.endCursor}\n`);
      printRows(
        page.notRunning,
        [
          { header: 'SUBSCRIPTION', value: (r) => r.subscription.id },
          { header: 'STATUS', value: (r) => r.subscription.status },
          { header: 'LAST RUN', value: (r) => r.lastRun ?? 'never started' },
        ],
        format,
        page,
      );
    });

  ops
    .command('start-workflow')
    .description('start the workflow of a live subscription that never had one (audited)')
    .argument('<subscriptionId>', 'subscription id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { startSubscriptionWorkflow } = await client.request<{
        startSubscriptionWorkflow: Record<string, unknown>;
      }>('mutation ($id: ID!) { startSubscriptionWorkflow(subscriptionId: $id) { id status workflowId } }', { id });
      printRecord(startSubscriptionWorkflow, format);
    });

  withPaging(
    ops
      .command('notices')
      .description('notices (emails) that did not go out: given up (FAILED) or RETRYING, newest first')
      .option('--trouble <which>', 'FAILED or RETRYING')
      .option('--kind <kind>', 'notice kind')
      .option('--recipient <email>', 'recipient'),
  ).action(
    listAction<Notice>({
      field: 'failedNotices',
      filterType: 'NoticeFilter',
      fields: 'id kind recipient attempts lastError failedAt nextAttemptAt',
      columns: NOTICES,
      filter: (options) => ({ trouble: options.trouble, kind: options.kind, recipient: options.recipient }),
    }),
  );

  ops
    .command('resend-notice')
    .description('send a notice that did not go out again, attempts starting over (audited)')
    .argument('<id>', 'notice id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { resendNotice } = await client.request<{ resendNotice: Record<string, unknown> }>(
        'mutation ($id: ID!) { resendNotice(id: $id) { id kind recipient attempts nextAttemptAt } }',
        { id },
      );
      printRecord(resendNotice, format);
    });

  withPaging(
    ops
      .command('deliveries')
      .description('M-Pesa callbacks and PayPal webhooks as received, refused ones first')
      .option('--provider <provider>', 'MPESA or PAYPAL')
      .option('--status <status>', 'ACCEPTED, DUPLICATE or REJECTED')
      .option('--payment <id>', 'payment id'),
  ).action(
    listAction<Delivery>({
      field: 'providerDeliveries',
      filterType: 'ProviderDeliveryFilter',
      fields: 'id provider status reason paymentId receivedAt',
      columns: DELIVERIES,
      filter: (options) => ({ provider: options.provider, status: options.status, paymentId: options.payment }),
    }),
  );

  return ops;
}
