import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ReportBucket } from '../../reports/overviewBuckets.js';
import type { AdminOverview, OverviewBucket } from '../../reports/adminOverview.js';
import type { PastDueSubscription as PastDueValue } from '../../reports/pastDueSubscriptions.js';
import { Money } from './Money.js';
import { MoneyTotals, SubscriptionStatusCount } from './report.js';

export const ReportBucketEnum = { DAY: 'DAY', WEEK: 'WEEK', MONTH: 'MONTH' } as const;
registerEnumType(ReportBucketEnum, {
  name: 'ReportBucket',
  description: 'Whole days, ISO weeks (from Monday) or calendar months, in the time zone asked for.',
});

const moneyList = (values: { amount: number; currency: string }[]) => values.map((value) => Money.of(value));
const moneyTotals = ({ totals, count }: { totals: { amount: number; currency: string }[]; count: number }) =>
  Object.assign(new MoneyTotals(), { totals: moneyList(totals), count });

@ObjectType({ description: 'One bucket of the overview: flows within it, and levels at its end (or now).' })
export class OverviewBucketPayload {
  @Field({ description: 'The bucket’s first instant (whole bucket, even where the range cuts it).' }) start!: Date;
  @Field({ description: 'The next bucket’s first instant.' }) end!: Date;
  @Field(() => [Money], {
    description:
      'At the bucket’s end (now for the bucket holding now): subscriptions paying then (after any trial, before ending, pausing or becoming UNPAID), at today’s list price. Rebuilt from those dates: statuses keep no history.',
  })
  monthlyRecurringRevenue!: Money[];
  @Field(() => Int, { description: 'Subscriptions paying at the bucket’s end, as counted for the revenue above.' })
  payingSubscriptions!: number;
  @Field(() => Int, { description: 'Subscriptions in a trial at the bucket’s end.' }) trialingSubscriptions!: number;
  @Field(() => MoneyTotals, { description: 'Invoices issued in the bucket (within the range) that are not void.' })
  invoiced!: MoneyTotals;
  @Field(() => MoneyTotals, { description: 'Successful payments completed in the bucket.' }) collected!: MoneyTotals;
  @Field(() => Int, { description: 'Payment attempts that failed in the bucket.' }) failedPayments!: number;
  @Field(() => Int, { description: 'Subscriptions created in the bucket.' }) startedSubscriptions!: number;
  @Field(() => Int, { description: 'Subscriptions that ended in the bucket (churn).' }) endedSubscriptions!: number;

  static of(bucket: OverviewBucket): OverviewBucketPayload {
    return Object.assign(new OverviewBucketPayload(), {
      ...bucket,
      monthlyRecurringRevenue: moneyList(bucket.monthlyRecurringRevenue),
      invoiced: moneyTotals(bucket.invoiced),
      collected: moneyTotals(bucket.collected),
    });
  }
}

@ObjectType({
  description: 'Subscriptions invoiced within the next `withinDays` days, at the next period’s list price.',
})
export class UpcomingRenewals {
  @Field(() => Int) withinDays!: number;
  @Field(() => Int) count!: number;
  @Field(() => [Money], { description: 'Per currency, before coupons and tax.' }) totals!: Money[];
}

@ObjectType({ description: 'The admin console’s overview, read from one consistent snapshot.' })
export class AdminOverviewPayload {
  @Field() asOf!: Date;
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => ReportBucketEnum) bucket!: ReportBucket;
  @Field() timeZone!: string;
  @Field(() => [SubscriptionStatusCount], { description: 'Now, in the lifecycle’s order.' })
  subscriptionsByStatus!: SubscriptionStatusCount[];
  @Field(() => [Money], { description: 'Now: ACTIVE and PAST_DUE subscriptions at list price (as billingReport).' })
  monthlyRecurringRevenue!: Money[];
  @Field(() => [UpcomingRenewals], { description: 'Within 7 and within 30 days.' })
  upcomingRenewals!: UpcomingRenewals[];
  @Field(() => [OverviewBucketPayload], { description: 'Oldest bucket first; every bucket present, zeros included.' })
  series!: OverviewBucketPayload[];

  static of(overview: AdminOverview): AdminOverviewPayload {
    return Object.assign(new AdminOverviewPayload(), {
      ...overview,
      subscriptionsByStatus: overview.subscriptionsByStatus.map((row) =>
        Object.assign(new SubscriptionStatusCount(), row),
      ),
      monthlyRecurringRevenue: moneyList(overview.monthlyRecurringRevenue),
      upcomingRenewals: overview.upcomingRenewals.map((row) =>
        Object.assign(new UpcomingRenewals(), { ...row, totals: moneyList(row.totals) }),
      ),
      series: overview.series.map((bucket) => OverviewBucketPayload.of(bucket)),
    });
  }
}

@ObjectType({ description: 'A PAST_DUE subscription, the invoice being collected, and where dunning stands.' })
export class PastDueSubscription {
  @Field(() => ID) subscriptionId!: string;
  @Field(() => ID) invoiceId!: string;
  @Field(() => Money) amountDue!: Money;
  @Field() dueAt!: Date;
  @Field(() => Int, { description: 'Charge attempts on the invoice so far.' }) attempts!: number;
  @Field(() => Int) failedAttempts!: number;
  @Field(() => Int, {
    description:
      'Retries the workflow will still make by itself (one per PAYMENT_RETRY_DAYS entry after the first attempt); 0 after a hard decline.',
  })
  retriesLeft!: number;
  @Field(() => Date, { nullable: true, description: 'When the next retry is due; null when none is scheduled.' })
  nextRetryAt!: Date | null;
  @Field(() => Date, {
    nullable: true,
    description: 'When dunning gives up unpaid (AFTER_LAST_RETRY decides CANCELED or UNPAID).',
  })
  dunningEndsAt!: Date | null;
  @Field(() => String, { nullable: true }) lastFailureCode!: string | null;
  @Field(() => String, { nullable: true }) lastFailureMessage!: string | null;
  @Field({ description: 'The last attempt was a hard decline: only a new payment method or pay-now helps.' })
  hardDecline!: boolean;

  static of(value: PastDueValue): PastDueSubscription {
    return Object.assign(new PastDueSubscription(), { ...value, amountDue: Money.of(value.amountDue) });
  }
}
