import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Invoice, InvoiceLine } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { Money } from '../types/Money.js';

@Resolver(() => Invoice)
export class InvoiceResolver {
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

  @FieldResolver(() => [InvoiceLine])
  lines(@Root() invoice: Invoice, @Ctx() { loaders }: GraphQLContext): Promise<InvoiceLine[]> {
    return loaders.linesByInvoiceId.load(invoice.id);
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
