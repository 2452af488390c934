import { Command } from 'commander';
import { contextOf, given, integer } from '../context.js';
import { printRecord, type Column } from '../output.js';
import { listAction, withPaging } from './paging.js';

const FIELDS = `id status quantity currentPeriodStart currentPeriodEnd cancelAtPeriodEnd paymentProvider
  paymentMethodLabel endReason plan { id name price { formatted } } customer { id email }`;

interface SubscriptionRow {
  id: string;
  status: string;
  currentPeriodEnd: string | null;
  plan: { id: string; name: string; price: { formatted: string } };
  customer: { id: string; email: string };
}

const COLUMNS: Column<SubscriptionRow>[] = [
  { header: 'ID', value: (s) => s.id },
  { header: 'STATUS', value: (s) => s.status },
  { header: 'CUSTOMER', value: (s) => s.customer.email },
  { header: 'PLAN', value: (s) => s.plan.name },
  { header: 'PRICE', value: (s) => s.plan.price.formatted },
  { header: 'PERIOD ENDS', value: (s) => s.currentPeriodEnd },
];

function flat(subscription: Record<string, unknown>) {
  const { plan, customer, ...rest } = subscription as unknown as SubscriptionRow & Record<string, unknown>;
  return { ...rest, plan: `${plan.name} (${plan.id})`, customer: `${customer.email} (${customer.id})` };
}

export function subscriptionsCommand(): Command {
  const subscriptions = new Command('subscriptions').description('list, show, create and cancel subscriptions');

  withPaging(
    subscriptions
      .command('list')
      .description('subscriptions, newest first')
      .option('--status <status>', 'e.g. ACTIVE, PAST_DUE, CANCELED')
      .option('--plan <id>', 'plan id')
      .option('--customer <id>', 'customer id'),
  ).action(
    listAction<SubscriptionRow>({
      field: 'subscriptions',
      filterType: 'SubscriptionFilter',
      fields: FIELDS,
      columns: COLUMNS,
      filter: (options) => ({ status: options.status, planId: options.plan, customerId: options.customer }),
    }),
  );

  subscriptions
    .command('show')
    .description('one subscription')
    .argument('<id>', 'subscription id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { subscription } = await client.request<{ subscription: Record<string, unknown> }>(
        `query ($id: ID!) { subscription(id: $id) { ${FIELDS} workflowId } }`,
        { id },
      );
      printRecord(flat(subscription), format, subscription);
    });

  subscriptions
    .command('create')
    .description('subscribe a customer to a plan (retries with the same --idempotency-key create one)')
    .requiredOption('--customer <id>', 'customer id')
    .requiredOption('--plan <id>', 'plan id')
    .option('--quantity <n>', 'seats', integer('--quantity'))
    .option('--mpesa <phone>', 'charge automatically by M-Pesa on this phone')
    .option('--paypal', 'charge automatically by PayPal (the buyer approves at the printed link)')
    .option('--coupon <code>', 'coupon code')
    .option('--idempotency-key <key>', 'makes a retried create safe')
    .action(async (options: Record<string, string | number | boolean | undefined>, command: Command) => {
      const { client, format } = await contextOf(command);
      const paymentMethod = options.mpesa
        ? { provider: 'MPESA', phone: options.mpesa }
        : options.paypal
          ? { provider: 'PAYPAL' }
          : undefined;
      const input = given({
        customerId: options.customer,
        planId: options.plan,
        quantity: options.quantity,
        paymentMethod,
        couponCode: options.coupon,
        idempotencyKey: options.idempotencyKey,
      });
      const { subscribe } = await client.request<{ subscribe: Record<string, unknown> }>(
        `mutation ($input: SubscribeInput!) { subscribe(input: $input) { ${FIELDS} approvalUrl } }`,
        { input },
      );
      printRecord(flat(subscribe), format, subscribe);
    });

  subscriptions
    .command('cancel')
    .description('cancel now, or at the end of the period with --at-period-end')
    .argument('<id>', 'subscription id')
    .option('--at-period-end', 'end when the current period ends (reversible until then)')
    .option('--credit-unused-time', "ending now: credit the unused part of the period to the customer's balance")
    .action(async (id: string, options: { atPeriodEnd?: boolean; creditUnusedTime?: boolean }, command: Command) => {
      const { client, format } = await contextOf(command);
      const { cancelSubscription } = await client.request<{ cancelSubscription: Record<string, unknown> }>(
        `mutation ($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { ${FIELDS} canceledAt } }`,
        { input: { subscriptionId: id, ...given({ ...options }) } },
      );
      printRecord(flat(cancelSubscription), format, cancelSubscription);
    });

  subscriptions
    .command('change-plan')
    .description('move to another plan or quantity: upgrades now, downgrades at the period end unless --timing NOW')
    .argument('<id>', 'subscription id')
    .requiredOption('--plan <id>', 'the new plan (same currency and cadence)')
    .option('--quantity <n>', 'seats', integer('--quantity'))
    .option('--timing <when>', 'NOW or PERIOD_END')
    .action(async (id: string, options: { plan: string; quantity?: number; timing?: string }, command: Command) => {
      const input = {
        subscriptionId: id,
        ...given({ planId: options.plan, quantity: options.quantity, timing: options.timing }),
      };
      await lifecycleChange(command, 'changePlan', 'ChangePlanInput', input);
    });

  subscriptions
    .command('pause')
    .description('pause billing for --periods whole periods (1 to 12), or until resumed')
    .argument('<id>', 'subscription id')
    .option('--periods <n>', 'periods to leave unbilled', integer('--periods'))
    .action(async (id: string, options: { periods?: number }, command: Command) => {
      await lifecycleChange(command, 'pauseSubscription', 'PauseSubscriptionInput', {
        subscriptionId: id,
        ...given({ periods: options.periods }),
      });
    });

  subscriptions
    .command('resume')
    .description('resume a paused subscription now (the current period is billed at once)')
    .argument('<id>', 'subscription id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await lifecycleChange(command, 'resumeSubscription', 'ResumeSubscriptionInput', { subscriptionId: id });
    });

  return subscriptions;
}

/** One lifecycle mutation (it answers with the subscription) and its answer printed like `show`. */
async function lifecycleChange(command: Command, mutation: string, inputType: string, input: Record<string, unknown>) {
  const { client, format } = await contextOf(command);
  const answer = await client.request<Record<string, Record<string, unknown>>>(
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${FIELDS} } }`,
    { input },
  );
  const subscription = answer[mutation]!;
  printRecord(flat(subscription), format, subscription);
}
