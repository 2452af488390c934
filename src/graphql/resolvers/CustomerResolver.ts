import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { createCustomer } from '../../billing/createCustomer.js';
import { NotFoundError } from '../../billing/errors.js';
import { Customer } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import { CreateCustomerInput } from '../types/inputs.js';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer)
  async customer(@Ctx() { loaders }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Customer> {
    const customer = await loaders.customerById.load(id);
    if (!customer) throw new NotFoundError('Customer', id);
    return customer;
  }

  @Mutation(() => Customer)
  createCustomer(
    @Ctx() { em }: GraphQLContext,
    @Arg('input', () => CreateCustomerInput) input: CreateCustomerInput,
  ): Promise<Customer> {
    return createCustomer(em, { ...input });
  }
}
