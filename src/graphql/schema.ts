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
import { PlanResolver, ProductResolver } from './resolvers/CatalogResolver.js';
import { CouponResolver } from './resolvers/CouponResolver.js';
import { CustomerResolver } from './resolvers/CustomerResolver.js';
import { EntitlementResolver } from './resolvers/EntitlementResolver.js';
import { HostedSessionResolver } from './resolvers/HostedSessionResolver.js';
import { InvoiceLineResolver, InvoiceResolver, PaymentResolver } from './resolvers/InvoiceResolver.js';
import { withLiveUpdates } from './resolvers/LiveResolver.js';
import { ReportResolver } from './resolvers/ReportResolver.js';
import { SubscriptionResolver } from './resolvers/SubscriptionResolver.js';

export async function buildBillingSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      AccountResolver,
      ApiClientResolver,
      ProductResolver,
      PlanResolver,
      CouponResolver,
      CustomerResolver,
      EntitlementResolver,
      HostedSessionResolver,
      SubscriptionResolver,
      InvoiceResolver,
      InvoiceLineResolver,
      PaymentResolver,
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
