import { Command } from 'commander';
import { contextOf } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { printRows, type Column } from '../output.js';

interface Money {
  amount: number;
  currency: string;
  formatted: string;
}
interface Totals {
  totals: Money[];
  count: number;
}
interface BillingReport {
  from: string;
  to: string;
  asOf: string;
  subscriptionsByStatus: { status: string; count: number }[];
  monthlyRecurringRevenue: Money[];
  invoiced: Totals;
  collected: Totals;
  collectedOffline: Totals;
  credited: Totals;
  refunded: Totals;
  creditOutstanding: Totals;
  startedSubscriptions: number;
  endedSubscriptions: number;
}

interface Line {
  measure: string;
  count: number | string;
  amount: string;
}

const TOTALS = ['invoiced', 'collected', 'collectedOffline', 'credited', 'refunded', 'creditOutstanding'] as const;
const MONEY = '{ amount currency formatted }';

/** One line a measure: what the report page shows, in rows a spreadsheet can take. */
function lines(report: BillingReport): Line[] {
  const amounts = (money: Money[]) => money.map((m) => m.formatted).join('; ') || '0';
  return [
    ...report.subscriptionsByStatus.map((s) => ({ measure: `subscriptions ${s.status}`, count: s.count, amount: '' })),
    { measure: 'subscriptions started', count: report.startedSubscriptions, amount: '' },
    { measure: 'subscriptions ended', count: report.endedSubscriptions, amount: '' },
    { measure: 'monthly recurring revenue', count: '', amount: amounts(report.monthlyRecurringRevenue) },
    ...TOTALS.map((key) => ({ measure: key, count: report[key].count, amount: amounts(report[key].totals) })),
  ];
}

const COLUMNS: Column<Line>[] = [
  { header: 'MEASURE', value: (l) => l.measure },
  { header: 'COUNT', value: (l) => l.count },
  { header: 'AMOUNT', value: (l) => l.amount },
];

function instant(name: string) {
  return (value: string): string => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime()))
      throw new CliError(`${name} must be a date such as 2026-12-01, got ${value}`, EXIT.USAGE);
    return date.toISOString();
  };
}

export function reportCommand(): Command {
  return new Command('report')
    .description('the billing report over [from, to): subscriptions, revenue, invoiced, collected, refunded')
    .option('--from <date>', 'start (inclusive); default: the first of this month', instant('--from'))
    .option('--to <date>', 'end (exclusive); default: now', instant('--to'))
    .action(async (options: { from?: string; to?: string }, command: Command) => {
      const { client, format } = await contextOf(command);
      const now = new Date();
      const from = options.from ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
      const to = options.to ?? now.toISOString();
      const totals = `{ count totals ${MONEY} }`;
      const { billingReport } = await client.request<{ billingReport: BillingReport }>(
        `query ($from: DateTimeISO!, $to: DateTimeISO!) { billingReport(from: $from, to: $to) {
          asOf from to subscriptionsByStatus { status count } monthlyRecurringRevenue ${MONEY}
          ${TOTALS.map((key) => `${key} ${totals}`).join(' ')} startedSubscriptions endedSubscriptions
        } }`,
        { from, to },
      );
      if (format === 'table') process.stdout.write(`Billing report ${billingReport.from} to ${billingReport.to}\n`);
      printRows(lines(billingReport), COLUMNS, format, billingReport);
    });
}
