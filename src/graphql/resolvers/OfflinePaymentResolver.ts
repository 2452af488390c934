import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Invoice, OfflinePayment } from '../../entities/index.js';
import { NotFoundError } from '../../kernel/errors.js';
import { recordOfflinePayment } from '../../payments/offline/recordOfflinePayment.js';
import type { GraphQLContext } from '../context.js';
import { RecordOfflinePaymentInput } from '../types/inputs.js';
import { Money } from '../types/Money.js';

@Resolver(() => OfflinePayment)
export class OfflinePaymentResolver {
  @Mutation(() => OfflinePayment, {
    description:
      'Administrators: records money received outside the providers against an invoice. It settles what the invoice ' +
      "still owes (PAID when nothing remains); what it pays beyond that goes to the customer's balance. The same " +
      'customer, method and reference are recorded once: sending it again returns the first record.',
  })
  recordOfflinePayment(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => RecordOfflinePaymentInput) input: RecordOfflinePaymentInput,
  ): Promise<OfflinePayment> {
    return recordOfflinePayment(em, caller, lifecycle, input);
  }

  @FieldResolver(() => Money)
  amount(@Root() payment: OfflinePayment): Money {
    return Money.of({ amount: payment.amount, currency: payment.currency });
  }

  @FieldResolver(() => Money, { description: 'What it settled of the invoice.' })
  appliedToInvoice(@Root() payment: OfflinePayment): Money {
    return Money.of({ amount: payment.appliedToInvoice, currency: payment.currency });
  }

  @FieldResolver(() => Money, { description: "What it paid beyond the invoice, now on the customer's balance." })
  creditedToBalance(@Root() payment: OfflinePayment): Money {
    return Money.of({ amount: payment.creditedToBalance, currency: payment.currency });
  }

  @FieldResolver(() => Invoice)
  async invoice(@Root() payment: OfflinePayment, @Ctx() { loaders }: GraphQLContext): Promise<Invoice> {
    const invoice = await loaders.invoiceById.load(payment.invoice.id);
    if (!invoice) throw new NotFoundError('Invoice', payment.invoice.id);
    return invoice;
  }
}
