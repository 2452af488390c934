import { graphql } from '../graphql';

export const SubscriptionDetailsQuery = graphql(`
  query SubscriptionDetails($id: ID!) {
    subscription(id: $id) {
      ...SubscriptionSummaryFields
      resumesAtPeriod
      pendingChangeAtPeriod
      endReason
      standingOrder {
        ...StandingOrderFields
      }
    }
  }
`);

export const StandingOrderFieldsFragment = graphql(`
  fragment StandingOrderFields on StandingOrder {
    id
    status
    startDate
    failureMessage
    amount {
      amount
      currency
    }
  }
`);

export const RequestStandingOrderMutation = graphql(`
  mutation RequestStandingOrder($input: RequestStandingOrderInput!) {
    requestStandingOrder(input: $input) {
      ...StandingOrderFields
    }
  }
`);

export const SubscriptionChangedLive = graphql(`
  subscription SubscriptionChanged($subscriptionId: ID!) {
    subscriptionUpdated(subscriptionId: $subscriptionId) {
      id
      status
      updatedAt
    }
  }
`);

export const ChangePlanMutation = graphql(`
  mutation ChangePlan($input: ChangePlanInput!) {
    changePlan(input: $input) {
      id
      status
    }
  }
`);

export const CancelSubscriptionMutation = graphql(`
  mutation CancelSubscription($input: CancelSubscriptionInput!) {
    cancelSubscription(input: $input) {
      id
      status
      cancelAtPeriodEnd
    }
  }
`);

export const UncancelSubscriptionMutation = graphql(`
  mutation UncancelSubscription($input: UncancelSubscriptionInput!) {
    uncancelSubscription(input: $input) {
      id
      cancelAtPeriodEnd
    }
  }
`);

export const PauseSubscriptionMutation = graphql(`
  mutation PauseSubscription($input: PauseSubscriptionInput!) {
    pauseSubscription(input: $input) {
      id
      status
    }
  }
`);

export const ResumeSubscriptionMutation = graphql(`
  mutation ResumeSubscription($input: ResumeSubscriptionInput!) {
    resumeSubscription(input: $input) {
      id
      status
    }
  }
`);
