import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { listTransactions, transactionTotals } from '../../ledger/listTransactions.js';
import type { GraphQLContext } from '../context.js';
import { TransactionFilter } from '../types/inputs.js';
import { PageInfo } from '../types/connection.js';
import { Transaction, TransactionConnection, TransactionEdge, TransactionTotals } from '../types/ledger.js';

@Resolver()
export class LedgerResolver {
  @Query(() => TransactionConnection, {
    description:
      'The transactions ledger: charges, refunds, offline payments and customer credit, newest first. Administrators ' +
      'see everyone; apps their customers; a customer their own.',
  })
  async transactions(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => TransactionFilter, { nullable: true }) filter?: TransactionFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<TransactionConnection> {
    const page = await listTransactions(em, caller, { filter, first, after });
    return Object.assign(new TransactionConnection(), {
      edges: page.nodes.map((node) =>
        Object.assign(new TransactionEdge(), { cursor: page.cursorOf(node), node: Transaction.of(node) }),
      ),
      pageInfo: Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
    });
  }

  @Query(() => [TransactionTotals], { description: "The ledger's totals per currency over the whole filter." })
  async transactionTotals(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => TransactionFilter, { nullable: true }) filter?: TransactionFilter,
  ): Promise<TransactionTotals[]> {
    return (await transactionTotals(em, caller, { filter })).map((row) => TransactionTotals.of(row));
  }
}
