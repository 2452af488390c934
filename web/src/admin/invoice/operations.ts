// The invoice page's query and the money corrections it sends: every figure of the settlement comes from the API
// (amountPaid, amountCredited, amountRemaining), the page never adds money up itself.
import { graphql } from '../../graphql';

export const AdminInvoiceQuery = graphql(`
  query AdminInvoice($id: ID!) {
    invoice(id: $id) {
      id
      number
      status
      kind
      description
      collection
      issuedAt
      dueAt
      paidAt
      periodStart
      periodEnd
      htmlUrl
      pdfUrl
      customer {
        id
        name
        email
        phone
      }
      subscription {
        id
        plan {
          name
        }
      }
      lines {
        id
        kind
        description
        quantity
        unitAmount {
          amount
          currency
        }
        amount {
          amount
          currency
        }
      }
      subtotal {
        amount
        currency
      }
      total {
        amount
        currency
      }
      creditApplied {
        amount
        currency
      }
      amountDue {
        amount
        currency
      }
      amountPaid {
        amount
        currency
      }
      amountCredited {
        amount
        currency
      }
      amountRemaining {
        amount
        currency
      }
      payments {
        ...AdminPaymentFields
        amountRefunded {
          amount
          currency
        }
        refunds {
          id
          createdAt
          status
          reason
          providerReference
          failureMessage
          amount {
            amount
            currency
          }
        }
      }
      offlinePayments {
        id
        method
        reference
        note
        receivedAt
        amount {
          amount
          currency
        }
        appliedToInvoice {
          amount
          currency
        }
        creditedToBalance {
          amount
          currency
        }
      }
      creditNotes {
        id
        number
        reason
        memo
        issuedAt
        htmlUrl
        pdfUrl
        amount {
          amount
          currency
        }
        reducesRemaining {
          amount
          currency
        }
        creditedToBalance {
          amount
          currency
        }
        refundAmount {
          amount
          currency
        }
      }
    }
  }
`);

export const RecordOfflinePaymentMutation = graphql(`
  mutation AdminRecordOfflinePayment($input: RecordOfflinePaymentInput!) {
    recordOfflinePayment(input: $input) {
      id
    }
  }
`);

export const IssueCreditNoteMutation = graphql(`
  mutation AdminIssueCreditNote($input: IssueCreditNoteInput!) {
    issueCreditNote(input: $input) {
      id
      number
    }
  }
`);

export const RefundPaymentMutation = graphql(`
  mutation AdminRefundPayment($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      id
      status
    }
  }
`);

export const VoidInvoiceMutation = graphql(`
  mutation AdminVoidInvoice($input: CloseInvoiceInput!) {
    voidInvoice(input: $input) {
      id
      status
    }
  }
`);

export const MarkInvoiceUncollectibleMutation = graphql(`
  mutation AdminMarkInvoiceUncollectible($input: CloseInvoiceInput!) {
    markInvoiceUncollectible(input: $input) {
      id
      status
    }
  }
`);

export const RefundLive = graphql(`
  subscription AdminRefundLive($paymentId: ID!) {
    refundUpdated(paymentId: $paymentId) {
      id
      status
    }
  }
`);
