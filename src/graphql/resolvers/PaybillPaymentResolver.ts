import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer, Invoice, PaybillAllocation, PaybillPayment } from '../../entities/index.js';
import { PaybillPaymentStatusEnum, type PaybillPaymentStatus } from '../../entities/PaybillPayment.js';
import { NotFoundError } from '../../kernel/errors.js';
import { assignPaybillPayment } from '../../payments/paybill/assignPaybillPayment.js';
import { listPaybillPayments } from '../../payments/paybill/listPaybillPayments.js';
import type { GraphQLContext } from '../context.js';
import { connectionType } from '../types/connection.js';
import { AssignPaybillPaymentInput } from '../types/inputs.js';
import { Money } from '../types/Money.js';

export const PaybillPaymentConnection = connectionType(PaybillPayment, 'PaybillPayment');

@InputType()
export class PaybillPaymentFilter {
  @Field(() => PaybillPaymentStatusEnum, { nullable: true, description: 'UNMATCHED: the queue to assign.' })
  status?: PaybillPaymentStatus | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
}

/** Paybill (C2B) payments: money customers sent from their phones (docs/paybill.md). ADMIN only. */
@Resolver(() => PaybillPayment)
export class PaybillPaymentResolver {
  @Query(() => PaybillPaymentConnection, {
    description: 'ADMIN only. Paybill payments, newest first; status UNMATCHED is the queue waiting to be assigned.',
  })
  async paybillPayments(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => PaybillPaymentFilter, { nullable: true }) filter?: PaybillPaymentFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return PaybillPaymentConnection.from(await listPaybillPayments(em, caller, filter, { first, after }));
  }

  @Mutation(() => PaybillPayment, {
    description:
      'ADMIN only. Applies an UNMATCHED paybill payment to the invoice the customer meant to pay (the rest to their ' +
      'balance), as if its account had named it. Once: an applied payment is refused. Audited.',
  })
  assignPaybillPayment(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => AssignPaybillPaymentInput) input: AssignPaybillPaymentInput,
  ): Promise<PaybillPayment> {
    return assignPaybillPayment(em, caller, lifecycle, input);
  }

  @FieldResolver(() => Money)
  amount(@Root() payment: PaybillPayment): Money {
    return Money.of({ amount: payment.amount, currency: payment.currency });
  }

  @FieldResolver(() => Money, { description: "What it settled of the customer's invoices." })
  appliedToInvoices(@Root() payment: PaybillPayment): Money {
    return Money.of({ amount: payment.appliedToInvoices, currency: payment.currency });
  }

  @FieldResolver(() => Money, { description: "What went to the customer's balance." })
  creditedToBalance(@Root() payment: PaybillPayment): Money {
    return Money.of({ amount: payment.creditedToBalance, currency: payment.currency });
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Whose it is; null while UNMATCHED.' })
  customer(@Root() payment: PaybillPayment, @Ctx() { loaders }: GraphQLContext): Promise<Customer | null> {
    return payment.customer ? loaders.customerById.load(payment.customer.id) : Promise.resolve(null);
  }

  @FieldResolver(() => [PaybillAllocation], { description: 'What it paid on each invoice, oldest invoice first.' })
  allocations(@Root() payment: PaybillPayment, @Ctx() { loaders }: GraphQLContext): Promise<PaybillAllocation[]> {
    return loaders.paybillAllocationsByPaymentId.load(payment.id);
  }
}

@Resolver(() => PaybillAllocation)
export class PaybillAllocationResolver {
  @FieldResolver(() => Money)
  amount(@Root() allocation: PaybillAllocation): Money {
    return Money.of({ amount: allocation.amount, currency: allocation.currency });
  }

  @FieldResolver(() => Invoice)
  async invoice(@Root() allocation: PaybillAllocation, @Ctx() { loaders }: GraphQLContext): Promise<Invoice> {
    const invoice = await loaders.invoiceById.load(allocation.invoice.id);
    if (!invoice) throw new NotFoundError('Invoice', allocation.invoice.id);
    return invoice;
  }
}
