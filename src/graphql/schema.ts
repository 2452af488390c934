import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccountResolver } from './resolvers/AccountResolver.js';
import { AdminReportResolver } from './resolvers/AdminReportResolver.js';
import {
  OperationsResolver,
  PaymentDeliveriesResolver,
  ProviderDeliveryResolver,
} from './resolvers/OperationsResolver.js';
import { ApiClientResolver } from './resolvers/ApiClientResolver.js';
import { BillingEventResolver, EventDeliveryResolver, WebhookEndpointResolver } from './resolvers/WebhookResolver.js';
import { PlanResolver, ProductResolver } from './resolvers/CatalogResolver.js';
import { CouponResolver } from './resolvers/CouponResolver.js';
import { CustomerResolver } from './resolvers/CustomerResolver.js';
import { EntitlementResolver } from './resolvers/EntitlementResolver.js';
import { HostedSessionResolver } from './resolvers/HostedSessionResolver.js';
import { InvoiceLineResolver, InvoiceResolver, PaymentResolver } from './resolvers/InvoiceResolver.js';
import { PaymentRefundsResolver, RefundResolver } from './resolvers/RefundResolver.js';
import { StandingOrderResolver, SubscriptionStandingOrderResolver } from './resolvers/StandingOrderResolver.js';
import { withLiveUpdates } from './resolvers/LiveResolver.js';
import { OfflinePaymentResolver } from './resolvers/OfflinePaymentResolver.js';
import { PaybillAllocationResolver, PaybillPaymentResolver } from './resolvers/PaybillPaymentResolver.js';
import { LedgerResolver } from './resolvers/LedgerResolver.js';
import { CreditNoteLineResolver, CreditNoteResolver } from './resolvers/CreditNoteResolver.js';
import { ReportResolver } from './resolvers/ReportResolver.js';
import { SubscriptionResolver } from './resolvers/SubscriptionResolver.js';

export async function buildBillingSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      AccountResolver,
      ApiClientResolver,
      WebhookEndpointResolver,
      BillingEventResolver,
      EventDeliveryResolver,
      ProductResolver,
      PlanResolver,
      CouponResolver,
      CustomerResolver,
      EntitlementResolver,
      HostedSessionResolver,
      SubscriptionResolver,
      InvoiceResolver,
      OfflinePaymentResolver,
      PaybillPaymentResolver,
      PaybillAllocationResolver,
      LedgerResolver,
      CreditNoteResolver,
      CreditNoteLineResolver,
      InvoiceLineResolver,
      PaymentResolver,
      PaymentRefundsResolver,
      RefundResolver,
      StandingOrderResolver,
      SubscriptionStandingOrderResolver,
      ReportResolver,
      AdminReportResolver,
      OperationsResolver,
      ProviderDeliveryResolver,
      PaymentDeliveriesResolver,
    ],
    validate: false,
  });
  return withLiveUpdates(schema);
}
