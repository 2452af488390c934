import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { billingReport, MAX_REPORT_DAYS } from '../../reports/billingReport.js';
import type { GraphQLContext } from '../context.js';
import { BillingReportPayload } from '../types/report.js';

@Resolver()
export class ReportResolver {
  @Query(() => BillingReportPayload, {
    description: `For ADMIN users and client apps with read:reports (their own customers). The range is [from, to), at most ${MAX_REPORT_DAYS} days.`,
  })
  async billingReport(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<BillingReportPayload> {
    return BillingReportPayload.of(await billingReport(em, caller, { from, to }));
  }
}
