import { graphql } from '../graphql';

export const PlanFields = graphql(`
  fragment PlanFields on Plan {
    id
    name
    description
    tier
    status
    features
    limits
    interval
    intervalCount
    trialDays
    pricingModel
    tiers {
      upTo
      unitAmount
      flatAmount
    }
    price {
      amount
      currency
    }
    product {
      id
      name
      description
    }
  }
`);

// CUSTOMER users hold read:plans (src/kernel/caller.ts), so they list the active plans as apps do.
export const ActivePlansQuery = graphql(`
  query ActivePlans {
    plans(first: 100, filter: { status: ACTIVE }) {
      edges {
        node {
          ...PlanFields
        }
      }
    }
  }
`);
