// The business at a glance (adminOverview: one consistent snapshot): subscriptions by status and monthly recurring
// revenue now, per currency; charts over a chosen range in daily, weekly or monthly buckets (recurring revenue,
// invoiced and collected, paying and trialing subscriptions, new and ended subscriptions, failed payments);
// renewals in the next 7 and 30 days; and the past-due subscriptions with how many retries are left.
import { Anchor, Card, NativeSelect, SimpleGrid, Text } from '@mantine/core';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { AdminOverviewQuery } from '../../graphql/graphql';
import { TIME_ZONE } from '../../lib/format';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { day, money, moneyList } from '../components/money';
import { Section } from '../components/Section';
import { OverviewCharts } from '../overview/OverviewCharts';
import { RANGES, rangeOf, type RangeKey } from '../overview/ranges';

const OverviewQuery = graphql(`
  query AdminOverview($from: DateTimeISO!, $to: DateTimeISO!, $bucket: ReportBucket!, $timeZone: String) {
    adminOverview(from: $from, to: $to, bucket: $bucket, timeZone: $timeZone) {
      asOf
      bucket
      subscriptionsByStatus {
        status
        count
      }
      monthlyRecurringRevenue {
        amount
        currency
      }
      upcomingRenewals {
        withinDays
        count
        totals {
          amount
          currency
        }
      }
      series {
        start
        end
        monthlyRecurringRevenue {
          amount
          currency
        }
        payingSubscriptions
        trialingSubscriptions
        invoiced {
          count
          totals {
            amount
            currency
          }
        }
        collected {
          count
          totals {
            amount
            currency
          }
        }
        failedPayments
        startedSubscriptions
        endedSubscriptions
      }
    }
    pastDueSubscriptions(first: 50) {
      subscriptionId
      amountDue {
        amount
        currency
      }
      dueAt
      attempts
      retriesLeft
      nextRetryAt
      lastFailureMessage
      hardDecline
      subscription {
        id
        customer {
          id
          name
        }
        plan {
          id
          name
        }
      }
    }
  }
`);

type PastDue = AdminOverviewQuery['pastDueSubscriptions'][number];

const STATUSES = [
  ['ACTIVE', 'Active'],
  ['TRIALING', 'Trialing'],
  ['PAST_DUE', 'Past due'],
  ['PAUSED', 'Paused'],
] as const;

export default function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const rangeKey = (
    RANGES.some((range) => range.key === params.get('range')) ? params.get('range') : '30d'
  ) as RangeKey;
  // The range ends now, as of the page load (or a new choice), not on every render.
  const variables = useMemo(() => ({ ...rangeOf(rangeKey, new Date()), timeZone: TIME_ZONE }), [rangeKey]);
  const [result] = useQuery({ query: OverviewQuery, variables });
  const overview = result.data?.adminOverview;
  const count = (status: string) => overview?.subscriptionsByStatus.find((row) => row.status === status)?.count ?? 0;
  return (
    <Page title="Overview">
      <NativeSelect
        label="Range"
        maw={280}
        value={rangeKey}
        onChange={(event) => setParams({ range: event.currentTarget.value })}
        data={RANGES.map((range) => ({ value: range.key, label: range.label }))}
      />
      <QueryState fetching={result.fetching && !overview} error={result.error} what="the overview" />
      {overview && result.data && (
        <>
          <Section title="Now">
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
              {STATUSES.map(([status, label]) => (
                <Figure key={status} label={label} value={String(count(status))} />
              ))}
              <Figure label="Monthly recurring revenue" value={moneyList(overview.monthlyRecurringRevenue)} />
            </SimpleGrid>
          </Section>
          <Section title="Upcoming renewals">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {overview.upcomingRenewals.map((renewals) => (
                <Figure
                  key={renewals.withinDays}
                  label={`Next ${renewals.withinDays} days: ${renewals.count} ${renewals.count === 1 ? 'renewal' : 'renewals'}`}
                  value={moneyList(renewals.totals)}
                />
              ))}
            </SimpleGrid>
          </Section>
          <Section title="Over time">
            <OverviewCharts series={overview.series} bucket={overview.bucket} />
          </Section>
          <Section title="Past due">
            <PastDueTable rows={result.data.pastDueSubscriptions} />
          </Section>
        </>
      )}
    </Page>
  );
}

function PastDueTable({ rows }: { rows: PastDue[] }) {
  return (
    <DataTable
      caption="Past-due subscriptions, oldest due first"
      empty="Nothing is past due."
      rows={rows.map((row) => ({ ...row, id: row.subscriptionId }))}
      columns={[
        {
          key: 'customer',
          label: 'Customer',
          render: (row) => (
            <Anchor component={Link} to={`/admin/subscriptions/${row.subscription.id}`}>
              {row.subscription.customer.name}
            </Anchor>
          ),
        },
        { key: 'plan', label: 'Plan', render: (row) => row.subscription.plan.name },
        { key: 'due', label: 'Amount due', align: 'right', render: (row) => money(row.amountDue) },
        { key: 'dueAt', label: 'Due since', render: (row) => day(row.dueAt) },
        { key: 'attempts', label: 'Attempts', align: 'right', render: (row) => row.attempts },
        {
          key: 'retries',
          label: 'Retries left',
          align: 'right',
          render: (row) => (row.hardDecline ? '0 (hard decline)' : row.retriesLeft),
        },
        { key: 'next', label: 'Next retry', render: (row) => day(row.nextRetryAt) },
        { key: 'reason', label: 'Last answer', render: (row) => row.lastFailureMessage ?? '—' },
      ]}
    />
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm">{label}</Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Card>
  );
}
