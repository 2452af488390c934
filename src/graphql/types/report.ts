import { Field, Int, ObjectType } from 'type-graphql';
import type { SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { SubscriptionStatusEnum } from '../../entities/Subscription.js';
import type { BillingReport } from '../../reports/billingReport.js';
import { Money } from './Money.js';

@ObjectType()
export class SubscriptionStatusCount {
  @Field(() => SubscriptionStatusEnum) status!: SubscriptionStatus;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Sums per currency (never added across currencies) and how many items they cover.' })
export class MoneyTotals {
  @Field(() => [Money]) totals!: Money[];
  @Field(() => Int) count!: number;
}

@ObjectType({
  description:
    'Subscriptions by status and monthly recurring revenue as of `asOf`; invoicing, collection and subscription starts and ends over [from, to). Read from one consistent snapshot.',
})
export class BillingReportPayload {
  @Field() asOf!: Date;
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => [SubscriptionStatusCount]) subscriptionsByStatus!: SubscriptionStatusCount[];
  @Field(() => [Money], {
    description:
      'ACTIVE and PAST_DUE subscriptions at list price (quantity and tiers applied, before coupons and tax), spread over months: a yearly price counts a twelfth, a weekly one 52/12. Per currency, rounded once.',
  })
  monthlyRecurringRevenue!: Money[];
  @Field(() => MoneyTotals, { description: 'Invoices issued in the range that are not void.' })
  invoiced!: MoneyTotals;
  @Field(() => MoneyTotals, { description: 'Successful payments completed in the range.' })
  collected!: MoneyTotals;
  @Field(() => MoneyTotals, {
    description: 'Offline payments (bank transfers, cash, cheques) received in the range, not counted in collected.',
  })
  collectedOffline!: MoneyTotals;
  @Field(() => MoneyTotals, { description: 'Credit notes issued in the range.' })
  credited!: MoneyTotals;
  @Field(() => MoneyTotals, { description: 'Refunds that succeeded in the range.' })
  refunded!: MoneyTotals;
  @Field(() => MoneyTotals, {
    description:
      'Credit customers hold as of `asOf`, owed until their invoices spend it; count is the customers holding some.',
  })
  creditOutstanding!: MoneyTotals;
  @Field(() => Int, { description: 'Subscriptions created in the range.' }) startedSubscriptions!: number;
  @Field(() => Int, { description: 'Subscriptions that ended in the range (canceled, unpaid or expired).' })
  endedSubscriptions!: number;

  static of(report: BillingReport): BillingReportPayload {
    const totals = ({ totals, count }: BillingReport['invoiced']) =>
      Object.assign(new MoneyTotals(), { totals: totals.map((value) => Money.of(value)), count });
    return Object.assign(new BillingReportPayload(), {
      ...report,
      subscriptionsByStatus: report.subscriptionsByStatus.map((row) =>
        Object.assign(new SubscriptionStatusCount(), row),
      ),
      monthlyRecurringRevenue: report.monthlyRecurringRevenue.map((value) => Money.of(value)),
      invoiced: totals(report.invoiced),
      collected: totals(report.collected),
      collectedOffline: totals(report.collectedOffline),
      credited: totals(report.credited),
      refunded: totals(report.refunded),
      creditOutstanding: totals(report.creditOutstanding),
    });
  }
}
