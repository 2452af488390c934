import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import { NotFoundError } from '../../kernel/errors.js';
import {
  CreditNote,
  Customer,
  Invoice,
  InvoiceLine,
  OfflinePayment,
  Payment,
  Subscription,
} from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import type { SortDirection } from '../pagination.js';
import { searchInvoices, type InvoiceSort } from '../../search/searchInvoices.js';
import { searchPayments, type PaymentSort } from '../../search/searchPayments.js';
import { connectionType } from '../types/connection.js';
import {
  CloseInvoiceInput,
  CreateInvoiceInput,
  InvoiceFilter,
  InvoiceSortEnum,
  PayInvoiceInput,
  PaymentFilter,
  PaymentSortEnum,
  SortDirectionEnum,
} from '../types/inputs.js';
import { payInvoice } from '../../payments/payInvoice.js';
import { createInvoice } from '../../billing/createInvoice.js';
import { markInvoiceUncollectible, voidInvoice } from '../../billing/requests/closeInvoice.js';
import { INVOICE_LINK_LIFETIME_MS, invoiceLinks } from '../../invoices/invoiceLinks.js';
import { Money } from '../types/Money.js';
import { PaybillInstructions } from '../types/paybill.js';
import { payByPaybill } from '../../invoices/invoiceDocument.js';
import { TaxCategoryTotal } from '../types/taxTotals.js';
import { totalsOfStoredLines } from '../../domain/taxCategories.js';

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
      "Charges an open invoice now with its subscription's payment method (a one-off invoice: its own, or the " +
      'paymentMethod given). Follow the outcome on `paymentUpdated`.',
  })
  payInvoice(
    @Ctx() { em, caller, lifecycle, payments }: GraphQLContext,
    @Arg('input', () => PayInvoiceInput) input: PayInvoiceInput,
  ): Promise<Invoice> {
    return payInvoice(em, caller, lifecycle, input, payments.cipher);
  }

  @Mutation(() => Invoice, {
    description:
      'A one-off invoice for a customer, outside any subscription: AUTOMATIC charges paymentMethod now (M-Pesa ' +
      'prompt or PayPal approval; follow it on paymentUpdated), SEND emails it. The same idempotencyKey creates one.',
  })
  createInvoice(
    @Ctx() { em, caller, lifecycle, payments, billing }: GraphQLContext,
    @Arg('input', () => CreateInvoiceInput) input: CreateInvoiceInput,
  ): Promise<Invoice> {
    return createInvoice(em, caller, { lifecycle, cipher: payments.cipher, tax: billing.tax }, input);
  }

  @Mutation(() => Invoice, {
    description:
      'Administrators: voids an OPEN invoice issued by mistake. Nothing more is collected for it; a subscription behind only on it is ACTIVE again.',
  })
  voidInvoice(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => CloseInvoiceInput) input: CloseInvoiceInput,
  ): Promise<Invoice> {
    return voidInvoice(em, caller, lifecycle, input);
  }

  @Mutation(() => Invoice, {
    description:
      'Administrators: writes an OPEN invoice off (UNCOLLECTIBLE, kept for the reports). Nothing more is collected for it.',
  })
  markInvoiceUncollectible(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => CloseInvoiceInput) input: CloseInvoiceInput,
  ): Promise<Invoice> {
    return markInvoiceUncollectible(em, caller, lifecycle, input);
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

  @FieldResolver(() => Money, {
    description: 'What payments (charges and offline payments) have settled; an overpayment went to the balance.',
  })
  amountPaid(@Root() invoice: Invoice): Money {
    return Money.of({ amount: invoice.amountPaid, currency: invoice.currency });
  }

  @FieldResolver(() => Money, { description: 'The sum of its credit notes.' })
  amountCredited(@Root() invoice: Invoice): Money {
    return Money.of({ amount: invoice.amountCredited, currency: invoice.currency });
  }

  @FieldResolver(() => Money, {
    description:
      'Still to collect: amountDue less the credit notes that reduced it and the payments made. Zero when PAID.',
  })
  amountRemaining(@Root() invoice: Invoice): Money {
    return Money.of({ amount: invoice.amountRemaining, currency: invoice.currency });
  }

  @FieldResolver(() => PaybillInstructions, {
    nullable: true,
    description:
      'How to pay it from a phone, by M-Pesa paybill: while it owes money in KES and the paybill is set up; else null.',
  })
  async paybill(
    @Root() invoice: Invoice,
    @Ctx() { payments, loaders }: GraphQLContext,
  ): Promise<PaybillInstructions | null> {
    if (!payments.paybillShortCode) return null;
    const customer = await loaders.customerById.load(invoice.customer.id);
    return customer ? payByPaybill(invoice, customer.accountNumber, payments.paybillShortCode) : null;
  }

  @FieldResolver(() => [CreditNote], { description: 'Credit notes issued on it, oldest first.' })
  creditNotes(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<CreditNote[]> {
    return loaders.creditNotesByInvoiceId.load(invoice.id);
  }

  @FieldResolver(() => [OfflinePayment], { description: 'Money recorded as received outside the providers.' })
  offlinePayments(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<OfflinePayment[]> {
    return loaders.offlinePaymentsByInvoiceId.load(invoice.id);
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

  @FieldResolver(() => Subscription, {
    nullable: true,
    description: 'The subscription the invoice bills; null for a ONE_OFF invoice.',
  })
  async subscription(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<Subscription | null> {
    if (!invoice.subscription) return null;
    const subscription = await loaders.subscriptionById.load(invoice.subscription.id);
    if (!subscription) throw new NotFoundError('Subscription', invoice.subscription.id);
    return subscription;
  }

  @FieldResolver(() => [InvoiceLine])
  lines(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<InvoiceLine[]> {
    return loaders.linesByInvoiceId.load(invoice.id);
  }

  @FieldResolver(() => [TaxCategoryTotal], {
    description: 'Totals per tax category (STANDARD first); their taxable and tax amounts add up to the total.',
  })
  async taxTotals(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<TaxCategoryTotal[]> {
    const money = (amount: number) => Money.of({ amount, currency: invoice.currency });
    return totalsOfStoredLines(await loaders.linesByInvoiceId.load(invoice.id)).map((total) => ({
      ...total,
      taxable: money(total.taxable),
      tax: money(total.tax),
    }));
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
