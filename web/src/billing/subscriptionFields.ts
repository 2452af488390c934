import { graphql } from '../graphql';

export const SubscriptionSummaryFields = graphql(`
  fragment SubscriptionSummaryFields on Subscription {
    id
    status
    quantity
    createdAt
    trialStart
    trialEnd
    currentPeriodStart
    currentPeriodEnd
    cancelAtPeriodEnd
    canceledAt
    endedAt
    pausedAt
    paymentProvider
    paymentMethodLabel
    pendingQuantity
    plan {
      ...PlanFields
    }
    pendingPlan {
      id
      name
      pricingModel
      interval
      intervalCount
      price {
        amount
        currency
      }
      tiers {
        upTo
        unitAmount
        flatAmount
      }
    }
    invoices {
      id
      number
      kind
      status
      periodStart
      periodEnd
      issuedAt
      dueAt
      paidAt
      amountDue {
        amount
        currency
      }
      total {
        amount
        currency
      }
    }
  }
`);
