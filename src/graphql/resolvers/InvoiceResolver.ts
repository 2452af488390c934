import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import { NotFoundError } from '../../kernel/errors.js';
import { Customer, Invoice, InvoiceLine, Payment, Subscription } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import type { SortDirection } from '../pagination.js';
import { searchInvoices, type InvoiceSort } from '../../search/searchInvoices.js';
import { searchPayments, type PaymentSort } from '../../search/searchPayments.js';
import { connectionType } from '../types/connection.js';
import {
  InvoiceFilter,
  InvoiceSortEnum,
  PayInvoiceInput,
  PaymentFilter,
  PaymentSortEnum,
  SortDirectionEnum,
} from '../types/inputs.js';
import { payInvoice } from '../../payments/payInvoice.js';
import { INVOICE_LINK_LIFETIME_MS, invoiceLinks } from '../../invoices/invoiceLinks.js';
import { Money } from '../types/Money.js';

export const InvoiceConnection = connectionType(Invoice, 'Invoice');
export const PaymentConnection = connectionType(Payment, 'Payment');

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => InvoiceConnection, { description: 'Newest first unless sorted otherwise.' })
  async invoices(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => InvoiceFilter, { nullable: true }) filter?: InvoiceFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('sort', () => InvoiceSortEnum, { nullable: true }) sort?: InvoiceSort,
    @Arg('direction', () => SortDirectionEnum, { nullable: true }) direction?: SortDirection,
  ) {
    return InvoiceConnection.from(await searchInvoices(em, caller, filter, { first, after, sort, direction }));
  }

  @Query(() => Invoice)
  async invoice(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Invoice> {
    requireScope(caller, 'read:invoices');
    const invoice = await em.findOne(Invoice, { id, customer: visibleCustomers(caller) });
    if (!invoice) throw new NotFoundError('Invoice', id);
    return invoice;
  }

  @Mutation(() => Invoice, {
    description:
      "Charges an open invoice now with its subscription's payment method. Follow the outcome on `paymentUpdated`.",
  })
  payInvoice(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => PayInvoiceInput) input: PayInvoiceInput,
  ): Promise<Invoice> {
    return payInvoice(em, caller, lifecycle, { invoiceId: input.invoiceId });
  }

  @FieldResolver(() => Money, {
    description: "Paid from the customer's credit balance when the invoice was issued; amountDue is total less this.",
  })
  creditApplied(@Root() invoice: Invoice): Money {
    return Money.of({ amount: invoice.creditApplied, currency: invoice.currency });
  }

  @FieldResolver(() => Money)
  subtotal(@Root() invoice: Invoice): Money {
    return Money.of({ amount: invoice.subtotal, currency: invoice.currency });
  }

  @FieldResolver(() => Money)
  total(@Root() invoice: Invoice): Money {
    return Money.of({ amount: invoice.total, currency: invoice.currency });
  }

  @FieldResolver(() => Money)
  amountDue(@Root() invoice: Invoice): Money {
    return Money.of({ amount: invoice.amountDue, currency: invoice.currency });
  }

  @FieldResolver(() => [Payment], { description: 'Charge attempts, first to last.' })
  payments(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<Payment[]> {
    return loaders.paymentsByInvoiceId.load(invoice.id);
  }

  @FieldResolver(() => String, {
    description: 'The invoice as a web page, through a signed link anyone holding it can open for 7 days.',
  })
  htmlUrl(@Root() invoice: Invoice, @Ctx() { invoiceLinks: settings }: GraphQLContext): string {
    return invoiceLinks(settings, invoice.id, new Date(), INVOICE_LINK_LIFETIME_MS).htmlUrl;
  }

  @FieldResolver(() => String, {
    description: 'The invoice as a PDF download, through a signed link anyone holding it can open for 7 days.',
  })
  pdfUrl(@Root() invoice: Invoice, @Ctx() { invoiceLinks: settings }: GraphQLContext): string {
    return invoiceLinks(settings, invoice.id, new Date(), INVOICE_LINK_LIFETIME_MS).pdfUrl;
  }

  @FieldResolver(() => Customer, { description: 'Who the invoice bills.' })
  async customer(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<Customer> {
    const customer = await loaders.customerById.load(invoice.customer.id);
    if (!customer) throw new NotFoundError('Customer', invoice.customer.id);
    return customer;
  }

  @FieldResolver(() => Subscription, { description: 'The subscription the invoice bills.' })
  async subscription(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<Subscription> {
    const subscription = await loaders.subscriptionById.load(invoice.subscription.id);
    if (!subscription) throw new NotFoundError('Subscription', invoice.subscription.id);
    return subscription;
  }

  @FieldResolver(() => [InvoiceLine])
  lines(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<InvoiceLine[]> {
    return loaders.linesByInvoiceId.load(invoice.id);
  }
}

@Resolver(() => Payment)
export class PaymentResolver {
  @Query(() => PaymentConnection, {
    description: 'Charge attempts on the invoices you may see, newest first unless sorted otherwise.',
  })
  async payments(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => PaymentFilter, { nullable: true }) filter?: PaymentFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('sort', () => PaymentSortEnum, { nullable: true }) sort?: PaymentSort,
    @Arg('direction', () => SortDirectionEnum, { nullable: true }) direction?: SortDirection,
  ) {
    return PaymentConnection.from(await searchPayments(em, caller, filter, { first, after, sort, direction }));
  }

  @FieldResolver(() => Money)
  amount(@Root() payment: Payment): Money {
    return Money.of({ amount: payment.amount, currency: payment.currency });
  }

  @FieldResolver(() => Invoice, { description: 'The invoice this attempt charged.' })
  async invoice(@Root() payment: Payment, @Ctx() { loaders }: GraphQLContext): Promise<Invoice> {
    const invoice = await loaders.invoiceById.load(payment.invoice.id);
    if (!invoice) throw new NotFoundError('Invoice', payment.invoice.id);
    return invoice;
  }

  @FieldResolver(() => Customer)
  async customer(@Root() payment: Payment, @Ctx() { loaders }: GraphQLContext): Promise<Customer> {
    const customer = await loaders.customerById.load(payment.customer.id);
    if (!customer) throw new NotFoundError('Customer', payment.customer.id);
    return customer;
  }
}

@Resolver(() => InvoiceLine)
export class InvoiceLineResolver {
  @FieldResolver(() => Money)
  unitAmount(@Root() line: InvoiceLine): Money {
    return Money.of({ amount: line.unitAmount, currency: line.invoice.currency });
  }

  @FieldResolver(() => Money)
  amount(@Root() line: InvoiceLine): Money {
    return Money.of({ amount: line.amount, currency: line.invoice.currency });
  }
}
