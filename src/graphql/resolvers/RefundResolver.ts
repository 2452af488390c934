import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError } from '../../kernel/errors.js';
import { Payment, Refund } from '../../entities/index.js';
import { findRefund, findRefunds } from '../../refunds/findRefunds.js';
import { requestRefund } from '../../refunds/requestRefund.js';
import { RefundWorkflows } from '../../temporal/refundWorkflows.js';
import type { GraphQLContext } from '../context.js';
import { Money } from '../types/Money.js';
import { RefundFilter, RefundPaymentInput } from '../types/inputs.js';

@Resolver(() => Refund)
export class RefundResolver {
  @Query(() => Refund, { description: 'A refund of a payment you may see.' })
  refund(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Refund> {
    return findRefund(em, caller, id);
  }

  @Query(() => [Refund], { description: 'Refunds of the payments you may see, newest first (at most 100).' })
  refunds(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => RefundFilter, { nullable: true }) filter?: RefundFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
  ): Promise<Refund[]> {
    return findRefunds(em, caller, filter ?? {}, first ?? undefined);
  }

  @Mutation(() => Refund, {
    description:
      'Gives money back on a SUCCEEDED M-Pesa or PayPal payment (administrators, or apps with write:refunds). ' +
      'The refund starts PENDING; follow it on `refundUpdated`. Repeating a request with the same idempotencyKey ' +
      'returns the same refund.',
  })
  refundPayment(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => RefundPaymentInput) input: RefundPaymentInput,
  ): Promise<Refund> {
    const workflows = new RefundWorkflows(lifecycle.client, lifecycle.taskQueue);
    return requestRefund({ em, workflows }, caller, input);
  }

  @FieldResolver(() => Money)
  amount(@Root() refund: Refund): Money {
    return Money.of({ amount: refund.amount, currency: refund.currency });
  }

  @FieldResolver(() => Payment, { description: 'The payment this refund gives money back on.' })
  async payment(@Root() refund: Refund, @Ctx() { loaders }: GraphQLContext): Promise<Payment> {
    const payment = await loaders.paymentById.load(refund.payment.id);
    if (!payment) throw new NotFoundError('Payment', refund.payment.id);
    return payment;
  }
}

@Resolver(() => Payment)
export class PaymentRefundsResolver {
  @FieldResolver(() => [Refund], { description: 'Refunds of this payment, oldest first.' })
  refunds(@Root() payment: Payment, @Ctx() { loaders }: GraphQLContext): Promise<Refund[]> {
    return loaders.refundsByPaymentId.load(payment.id);
  }

  @FieldResolver(() => Money, { description: 'What PENDING and SUCCEEDED refunds hold of the amount.' })
  amountRefunded(@Root() payment: Payment): Money {
    return Money.of({ amount: payment.amountRefunded, currency: payment.currency });
  }
}
