import { Command } from 'commander';
import { contextOf, given, integer } from '../context.js';
import { printRecord, type Column } from '../output.js';
import { listAction, withPaging } from './paging.js';

const FIELDS = 'id name version status interval intervalCount trialDays price { formatted } product { code name }';

interface PlanRow {
  id: string;
  name: string;
  version: number;
  status: string;
  interval: string;
  intervalCount: number;
  price: { formatted: string };
  product: { code: string; name: string };
}

const COLUMNS: Column<PlanRow>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'PRODUCT', value: (p) => p.product.code },
  { header: 'NAME', value: (p) => p.name },
  { header: 'VERSION', value: (p) => p.version },
  { header: 'PRICE', value: (p) => p.price },
  { header: 'EVERY', value: (p) => `${p.intervalCount} ${p.interval}` },
  { header: 'STATUS', value: (p) => p.status },
];

export function plansCommand(): Command {
  const plans = new Command('plans').description('list, show, create, reprice and archive plans');

  withPaging(
    plans
      .command('list')
      .description('plans of the catalog')
      .option('--status <status>', 'ACTIVE or ARCHIVED')
      .option('--product <id>', 'product id')
      .option('--currency <code>', 'e.g. KES'),
  ).action(
    listAction<PlanRow>({
      field: 'plans',
      filterType: 'PlanFilter',
      fields: FIELDS,
      columns: COLUMNS,
      filter: (options) => ({ status: options.status, productId: options.product, currency: options.currency }),
    }),
  );

  plans
    .command('show')
    .description('one plan')
    .argument('<id>', 'plan id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { plan } = await client.request<{ plan: PlanRow & Record<string, unknown> }>(
        `query ($id: ID!) { plan(id: $id) { ${FIELDS} features description } }`,
        { id },
      );
      printRecord({ ...plan, product: `${plan.product.name} (${plan.product.code})` }, format, plan);
    });

  plans
    .command('create')
    .description('a plan of a product: price in minor units per period')
    .requiredOption('--product <id>', 'product id')
    .requiredOption('--name <name>', 'plan name')
    .requiredOption(
      '--amount <minor>',
      'price per period in minor units, e.g. 150000 for KES 1,500.00',
      integer('--amount'),
    )
    .requiredOption('--currency <code>', 'e.g. KES or USD')
    .requiredOption('--interval <interval>', 'DAY, WEEK, MONTH or YEAR')
    .option('--interval-count <n>', 'every N intervals', integer('--interval-count'))
    .option('--trial-days <n>', 'free trial', integer('--trial-days'))
    .action(async (options: Record<string, string | number | undefined>, command: Command) => {
      const { client, format } = await contextOf(command);
      const input = given({
        productId: options.product,
        name: options.name,
        amount: options.amount,
        currency: options.currency,
        interval: options.interval,
        intervalCount: options.intervalCount,
        trialDays: options.trialDays,
      });
      const { createPlan } = await client.request<{ createPlan: PlanRow }>(
        `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { ${FIELDS} } }`,
        { input },
      );
      printRecord({ ...createPlan, product: createPlan.product.code }, format, createPlan);
    });

  plans
    .command('update-price')
    .description('a new price: a new version of the plan for new subscriptions; existing ones keep theirs')
    .argument('<id>', 'plan id')
    .requiredOption('--amount <minor>', 'the new price in minor units', integer('--amount'))
    .action(async (id: string, options: { amount: number }, command: Command) => {
      const { client, format } = await contextOf(command);
      const { changePlanPrice } = await client.request<{ changePlanPrice: PlanRow }>(
        `mutation ($input: ChangePlanPriceInput!) { changePlanPrice(input: $input) { ${FIELDS} } }`,
        { input: { planId: id, amount: options.amount } },
      );
      printRecord({ ...changePlanPrice, product: changePlanPrice.product.code }, format, changePlanPrice);
    });

  plans
    .command('archive')
    .description('stop offering a plan (its subscriptions go on)')
    .argument('<id>', 'plan id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { archivePlan } = await client.request<{ archivePlan: PlanRow }>(
        `mutation ($id: ID!) { archivePlan(id: $id) { ${FIELDS} } }`,
        { id },
      );
      printRecord({ ...archivePlan, product: archivePlan.product.code }, format, archivePlan);
    });

  return plans;
}
