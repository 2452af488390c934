import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import { NotFoundError } from '../../kernel/errors.js';
import { Invoice, InvoiceLine, Payment } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { paginate } from '../pagination.js';
import { connectionType } from '../types/connection.js';
import { CloseInvoiceInput, InvoiceFilter, PayInvoiceInput } from '../types/inputs.js';
import { payInvoice } from '../../payments/payInvoice.js';
import { markInvoiceUncollectible, voidInvoice } from '../../billing/requests/closeInvoice.js';
import { INVOICE_LINK_LIFETIME_MS, invoiceLinks } from '../../invoices/invoiceLinks.js';
import { Money } from '../types/Money.js';

export const InvoiceConnection = connectionType(Invoice, 'Invoice');

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => InvoiceConnection)
  async invoices(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => InvoiceFilter, { nullable: true }) filter?: InvoiceFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireScope(caller, 'read:invoices');
    const where: Record<string, unknown> = {
      customer: visibleCustomers(caller, filter?.customerId ? { id: filter.customerId } : {}),
    };
    if (filter?.status) where.status = filter.status;
    if (filter?.from || filter?.to) {
      where.issuedAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    }
    return InvoiceConnection.from(await paginate(em, Invoice, where, { first, after }));
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

  @FieldResolver(() => [InvoiceLine])
  lines(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<InvoiceLine[]> {
    return loaders.linesByInvoiceId.load(invoice.id);
  }
}

@Resolver(() => Payment)
export class PaymentResolver {
  @FieldResolver(() => Money)
  amount(@Root() payment: Payment): Money {
    return Money.of({ amount: payment.amount, currency: payment.currency });
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
