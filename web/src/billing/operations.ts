// Operations several billing pages share: what a subscription's payment state is read from, its live updates, and
// the two ways to collect again (pay an open invoice now; a new payment method, which collects by itself).
import { graphql } from '../graphql';

export const PaymentFields = graphql(`
  fragment PaymentFields on Payment {
    id
    status
    attempt
    provider
    failureCode
    failureMessage
    hardDecline
    approvalUrl
    receiptNumber
    updatedAt
    amount {
      amount
      currency
    }
  }
`);

export const PaymentStateFields = graphql(`
  fragment PaymentStateFields on Subscription {
    id
    status
    updatedAt
    trialEnd
    paymentProvider
    paymentMethodLabel
    approvalUrl
    invoices {
      id
      number
      status
      periodIndex
      amountDue {
        amount
        currency
      }
      payments {
        ...PaymentFields
      }
    }
  }
`);

export const SubscriptionPaymentQuery = graphql(`
  query SubscriptionPayment($id: ID!) {
    subscription(id: $id) {
      ...PaymentStateFields
    }
  }
`);

export const SubscriptionPaymentLive = graphql(`
  subscription SubscriptionPaymentLive($subscriptionId: ID!) {
    subscriptionUpdated(subscriptionId: $subscriptionId) {
      ...PaymentStateFields
    }
  }
`);

export const PaymentLive = graphql(`
  subscription PaymentLive($invoiceId: ID!) {
    paymentUpdated(invoiceId: $invoiceId) {
      ...PaymentFields
    }
  }
`);

export const PayInvoiceMutation = graphql(`
  mutation PayInvoice($input: PayInvoiceInput!) {
    payInvoice(input: $input) {
      id
      status
    }
  }
`);

export const UpdatePaymentMethodMutation = graphql(`
  mutation UpdatePaymentMethod($input: UpdatePaymentMethodInput!) {
    updatePaymentMethod(input: $input) {
      id
      paymentProvider
      paymentMethodLabel
    }
  }
`);
