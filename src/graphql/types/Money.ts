import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { formatMoney, type Money as MoneyValue } from '../../domain/money.js';

@ObjectType({ description: 'An amount of money: integer minor units plus an ISO 4217 currency.' })
export class Money {
  @Field(() => GraphQLSafeInt, { description: 'In minor units: 150000 with KES is KES 1,500.00.' })
  amount!: number;

  @Field({ description: 'ISO 4217 code.' })
  currency!: string;

  @Field({ description: 'For display, e.g. "Ksh 1,500.00".' })
  formatted!: string;

  static of(value: MoneyValue, locale?: string): Money {
    return Object.assign(new Money(), { ...value, formatted: formatMoney(value, locale) });
  }
}
