// The overview's series as charts: money per currency (never added across currencies) as lines, counts as bars.
import { SimpleGrid } from '@mantine/core';
import type { AdminOverviewQuery, ReportBucket } from '../../graphql/graphql';
import { formatMoney, TIME_ZONE } from '../../lib/format';
import { TimeChart, type Series } from '../components/TimeChart';
import { adminLocale } from '../locale';

type Bucket = AdminOverviewQuery['adminOverview']['series'][number];
type Amounts = readonly { amount: number; currency: string }[];

/** "4 Dec", "w/c 30 Nov", "Dec 2026": the bucket's first day, in East Africa Time. */
export function bucketLabel(start: string, bucket: ReportBucket, locale: string): string {
  const date = new Date(start);
  if (bucket === 'MONTH') {
    return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: TIME_ZONE }).format(date);
  }
  const text = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: TIME_ZONE }).format(date);
  return bucket === 'WEEK' ? `w/c ${text}` : text;
}

function currenciesOf(series: Bucket[], pick: (bucket: Bucket) => Amounts): string[] {
  return [...new Set(series.flatMap((bucket) => pick(bucket).map((money) => money.currency)))].sort();
}

function amountsIn(series: Bucket[], currency: string, pick: (bucket: Bucket) => Amounts): number[] {
  return series.map((bucket) => pick(bucket).find((money) => money.currency === currency)?.amount ?? 0);
}

export function OverviewCharts({ series, bucket }: { series: Bucket[]; bucket: ReportBucket }) {
  const locale = adminLocale();
  const labels = series.map((one) => bucketLabel(one.start, bucket, locale));
  const count = (value: number) => new Intl.NumberFormat(locale).format(value);
  const mrr = (one: Bucket) => one.monthlyRecurringRevenue;
  const invoiced = (one: Bucket) => one.invoiced.totals;
  const collected = (one: Bucket) => one.collected.totals;
  const revenueCurrencies = currenciesOf(series, mrr);
  const flowCurrencies = currenciesOf(series, (one) => [...invoiced(one), ...collected(one)]);
  const counts = (name: string, pick: (one: Bucket) => number): Series => ({ name, values: series.map(pick) });
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      {revenueCurrencies.map((currency) => (
        <TimeChart
          key={`mrr-${currency}`}
          title={`Monthly recurring revenue, ${currency}`}
          kind="line"
          labels={labels}
          series={[{ name: 'Recurring revenue', values: amountsIn(series, currency, mrr) }]}
          format={(value) => formatMoney(value, currency, locale)}
        />
      ))}
      {flowCurrencies.map((currency) => (
        <TimeChart
          key={`flow-${currency}`}
          title={`Invoiced and collected, ${currency}`}
          kind="line"
          labels={labels}
          series={[
            { name: 'Invoiced', values: amountsIn(series, currency, invoiced) },
            { name: 'Collected', values: amountsIn(series, currency, collected) },
          ]}
          format={(value) => formatMoney(value, currency, locale)}
        />
      ))}
      <TimeChart
        title="Paying and trialing subscriptions"
        kind="line"
        labels={labels}
        series={[
          counts('Paying', (one) => one.payingSubscriptions),
          counts('Trialing', (one) => one.trialingSubscriptions),
        ]}
        format={count}
      />
      <TimeChart
        title="New and ended subscriptions"
        kind="bar"
        labels={labels}
        series={[counts('New', (one) => one.startedSubscriptions), counts('Ended', (one) => one.endedSubscriptions)]}
        format={count}
      />
      <TimeChart
        title="Failed payments"
        kind="bar"
        labels={labels}
        series={[counts('Failed payments', (one) => one.failedPayments)]}
        format={count}
      />
    </SimpleGrid>
  );
}
