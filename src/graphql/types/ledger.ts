// The transactions ledger's GraphQL shapes (src/ledger/listTransactions.ts).
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import {
  TRANSACTION_KINDS,
  TRANSACTION_METHODS,
  TRANSACTION_STATUSES,
  type Transaction as TransactionRow,
  type TransactionTotals as TotalsRow,
} from '../../ledger/listTransactions.js';
import { Money } from './Money.js';
import { PageInfo } from './connection.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const TransactionKindEnum = enumOf(TRANSACTION_KINDS);
registerEnumType(TransactionKindEnum, {
  name: 'TransactionKind',
  description:
    'CHARGE: a charge attempt through M-Pesa or PayPal. REFUND: money given back through the provider. ' +
    'OFFLINE_PAYMENT: received outside the providers. PAYBILL_PAYMENT: paid to the M-Pesa paybill from a phone (one row per invoice it paid, one for what went to the balance). CREDIT_GRANTED / CREDIT_APPLIED: the customer balance grew / ' +
    'paid part of an invoice.',
});
export const TransactionMethodEnum = enumOf(TRANSACTION_METHODS);
registerEnumType(TransactionMethodEnum, { name: 'TransactionMethod' });
export const TransactionStatusEnum = enumOf(TRANSACTION_STATUSES);
registerEnumType(TransactionStatusEnum, { name: 'TransactionStatus' });

@ObjectType({ description: 'One movement of money or of customer credit.' })
export class Transaction {
  @Field(() => ID) id!: string;
  @Field(() => TransactionKindEnum) kind!: TransactionRow['kind'];
  @Field(() => TransactionMethodEnum) method!: TransactionRow['method'];
  @Field(() => TransactionStatusEnum) status!: TransactionRow['status'];
  @Field(() => Money, {
    description: 'Cash from the business side (a charge positive, a refund negative); credit from the balance side.',
  })
  amount!: Money;
  @Field(() => String, { nullable: true }) reference!: string | null;
  @Field() occurredAt!: Date;
  @Field(() => ID, { nullable: true }) invoiceId!: string | null;
  @Field(() => ID) customerId!: string;
  @Field() description!: string;

  static of(row: TransactionRow): Transaction {
    return Object.assign(new Transaction(), row, { amount: Money.of(row.amount) });
  }
}

@ObjectType()
export class TransactionEdge {
  @Field() cursor!: string;
  @Field(() => Transaction) node!: Transaction;
}

@ObjectType({ description: 'A page of the ledger, newest first.' })
export class TransactionConnection {
  @Field(() => [TransactionEdge]) edges!: TransactionEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'Totals of the ledger in one currency, over everything the filter matches.' })
export class TransactionTotals {
  @Field() currency!: string;
  @Field(() => Money, { description: 'Succeeded charges and offline payments.' }) collected!: Money;
  @Field(() => Money, { description: 'Succeeded refunds.' }) refunded!: Money;
  @Field(() => Money, { description: 'collected - refunded.' }) net!: Money;
  @Field(() => Money) creditGranted!: Money;
  @Field(() => Money, { description: 'Credit spent on invoices.' }) creditApplied!: Money;

  static of(row: TotalsRow): TransactionTotals {
    const money = (amount: number) => Money.of({ amount, currency: row.currency });
    return Object.assign(new TransactionTotals(), {
      currency: row.currency,
      collected: money(row.collected),
      refunded: money(row.refunded),
      net: money(row.net),
      creditGranted: money(row.creditGranted),
      creditApplied: money(row.creditApplied),
    });
  }
}
