import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CustomerResolver } from './resolvers/CustomerResolver.js';
import { InvoiceLineResolver, InvoiceResolver } from './resolvers/InvoiceResolver.js';
import { PlanResolver } from './resolvers/PlanResolver.js';
import { SubscriptionResolver } from './resolvers/SubscriptionResolver.js';

export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [PlanResolver, CustomerResolver, SubscriptionResolver, InvoiceResolver, InvoiceLineResolver],
    validate: false,
  });
}
