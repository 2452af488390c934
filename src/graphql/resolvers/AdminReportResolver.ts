import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { adminOverview } from '../../reports/adminOverview.js';
import type { ReportBucket } from '../../reports/overviewBuckets.js';
import { pastDueSubscriptions } from '../../reports/pastDueSubscriptions.js';
import { Invoice, Subscription } from '../../entities/index.js';
import { NotFoundError } from '../../kernel/errors.js';
import type { GraphQLContext } from '../context.js';
import { AdminOverviewPayload, PastDueSubscription, ReportBucketEnum } from '../types/adminOverview.js';

@Resolver(() => PastDueSubscription)
export class AdminReportResolver {
  @Query(() => AdminOverviewPayload, {
    description:
      'ADMIN only. The overview over [from, to) in buckets (at most 400 days with DAY, 1,100 with WEEK or MONTH), everyone’s or one app’s.',
  })
  async adminOverview(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('bucket', () => ReportBucketEnum) bucket: ReportBucket,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA zone of the buckets; UTC when absent.' })
    timeZone?: string | null,
    @Arg('apiClientId', () => ID, { nullable: true, description: 'Only this app’s customers.' })
    apiClientId?: string | null,
  ): Promise<AdminOverviewPayload> {
    return AdminOverviewPayload.of(
      await adminOverview(em, caller, { from, to, bucket, timeZone: timeZone ?? undefined, apiClientId }),
    );
  }

  @Query(() => [PastDueSubscription], { description: 'ADMIN only. PAST_DUE subscriptions, oldest due first.' })
  async pastDueSubscriptions(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: 'At most 200; 50 when absent.' }) first?: number | null,
    @Arg('apiClientId', () => ID, { nullable: true }) apiClientId?: string | null,
  ): Promise<PastDueSubscription[]> {
    const rows = await pastDueSubscriptions(em, caller, lifecycle.collection, {
      first: first ?? undefined,
      apiClientId,
    });
    return rows.map((row) => PastDueSubscription.of(row));
  }

  @FieldResolver(() => Subscription)
  async subscription(@Root() row: PastDueSubscription, @Ctx() { loaders }: GraphQLContext): Promise<Subscription> {
    const found = await loaders.subscriptionById.load(row.subscriptionId);
    if (!found) throw new NotFoundError('Subscription', row.subscriptionId);
    return found;
  }

  @FieldResolver(() => Invoice)
  async invoice(@Root() row: PastDueSubscription, @Ctx() { loaders }: GraphQLContext): Promise<Invoice> {
    const found = await loaders.invoiceById.load(row.invoiceId);
    if (!found) throw new NotFoundError('Invoice', row.invoiceId);
    return found;
  }
}
