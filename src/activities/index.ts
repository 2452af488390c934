// Activities carry out what workflows decide. Each one is safe to run twice: its effect is keyed by business
// identity (subscription and period), never by run or activity ids.
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UseCaseError } from '../billing/errors.js';
import { issuePeriodInvoice, type IssuePeriodInvoiceInput } from '../billing/issuePeriodInvoice.js';
import { IllegalTransitionError } from '../domain/subscriptionStatus.js';

/** Use-case refusals will not change on retry: fail the activity for good instead of retrying forever. */
async function nonRetryableOnRefusal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UseCaseError || error instanceof IllegalTransitionError) {
      throw ApplicationFailure.nonRetryable(error.message, error.name);
    }
    throw error;
  }
}

export function createActivities(em: EntityManager) {
  return {
    async issuePeriodInvoice(input: IssuePeriodInvoiceInput) {
      return nonRetryableOnRefusal(() => issuePeriodInvoice(em, input));
    },
  };
}

export type BillingActivities = ReturnType<typeof createActivities>;
