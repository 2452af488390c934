import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireAdmin, requireScope, visibleCustomers } from '../../kernel/policy.js';
import { NotFoundError } from '../../kernel/errors.js';
import { createCustomer } from '../../customers/createCustomer.js';
import { moveCustomer } from '../../customers/moveCustomer.js';
import { deleteCustomer, updateCustomer } from '../../customers/updateCustomer.js';
import { AuditEvent, Customer, Invoice, OutboxMessage, Payment, Subscription } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import type { SortDirection } from '../pagination.js';
import { searchCustomers, type CustomerSort } from '../../search/searchCustomers.js';
import { connectionType } from '../types/connection.js';
import {
  CreateCustomerInput,
  CustomerFilter,
  CustomerSortEnum,
  MoveCustomerInput,
  SortDirectionEnum,
  UpdateCustomerInput,
} from '../types/inputs.js';
import { Money } from '../types/Money.js';

export const CustomerConnection = connectionType(Customer, 'Customer');

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => CustomerConnection, {
    description: 'Customers you may see, newest first unless sorted otherwise. Deleted customers are left out.',
  })
  async customers(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => CustomerFilter, { nullable: true }) filter?: CustomerFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('sort', () => CustomerSortEnum, { nullable: true }) sort?: CustomerSort,
    @Arg('direction', () => SortDirectionEnum, { nullable: true }) direction?: SortDirection,
  ) {
    return CustomerConnection.from(await searchCustomers(em, caller, filter, { first, after, sort, direction }));
  }

  @Query(() => Customer)
  async customer(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Customer> {
    requireScope(caller, 'read:customers');
    const customer = await em.findOne(Customer, visibleCustomers(caller, { id }));
    if (!customer) throw new NotFoundError('Customer', id);
    return customer;
  }

  @Mutation(() => Customer)
  createCustomer(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('input', () => CreateCustomerInput) input: CreateCustomerInput,
  ) {
    return createCustomer(em, caller, input);
  }

  @Mutation(() => Customer, {
    description:
      'Administrators: give a customer (with its subscriptions and invoices) to a client app, or to none. ' +
      'Refused when the app already has a customer with the same email or externalId.',
  })
  moveCustomer(@Ctx() { em, caller }: GraphQLContext, @Arg('input', () => MoveCustomerInput) input: MoveCustomerInput) {
    return moveCustomer(em, caller, { customerId: input.customerId, apiClientId: input.apiClientId ?? null });
  }

  @Mutation(() => Customer, { description: 'Changes only the fields given; every change is kept in the audit trail.' })
  updateCustomer(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput,
  ) {
    return updateCustomer(em, caller, input);
  }

  @Mutation(() => Customer, { description: 'Soft delete: the customer leaves lists; invoices and history remain.' })
  deleteCustomer(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Customer> {
    return deleteCustomer(em, caller, id);
  }

  @FieldResolver(() => [Subscription])
  subscriptions(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext): Promise<Subscription[]> {
    return loaders.subscriptionsByCustomerId.load(customer.id);
  }

  @FieldResolver(() => [Invoice])
  invoices(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext): Promise<Invoice[]> {
    return loaders.invoicesByCustomerId.load(customer.id);
  }

  @FieldResolver(() => [Payment], { description: 'Charge attempts on this customer’s invoices, newest first.' })
  payments(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext): Promise<Payment[]> {
    return loaders.paymentsByCustomerId.load(customer.id);
  }

  @FieldResolver(() => [Money], {
    description:
      'Credit we owe this customer, per currency (a downgrade made mid-period credits the unused time); their next invoices in that currency spend it first. Empty when none.',
  })
  async creditBalance(@Root() customer: Customer, @Ctx() { loaders }: GraphQLContext): Promise<Money[]> {
    return (await loaders.creditBalanceByCustomerId.load(customer.id)).map((value) => Money.of(value));
  }

  @FieldResolver(() => [OutboxMessage], {
    description: 'ADMIN only: notices about this customer’s subscriptions, sent or not, newest first.',
  })
  notices(@Root() customer: Customer, @Ctx() { loaders, caller }: GraphQLContext): Promise<OutboxMessage[]> {
    requireAdmin(caller);
    return loaders.noticesByCustomerId.load(customer.id);
  }

  @FieldResolver(() => [AuditEvent], { description: 'Who changed what on this customer, and when (needs read:audit).' })
  auditTrail(@Root() customer: Customer, @Ctx() { loaders, caller }: GraphQLContext): Promise<AuditEvent[]> {
    requireScope(caller, 'read:audit');
    return loaders.auditTrailByCustomerId.load(customer.id);
  }
}
