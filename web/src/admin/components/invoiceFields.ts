// An invoice as the console's detail pages list it.
import { graphql } from '../../graphql';

export const AdminInvoiceFields = graphql(`
  fragment AdminInvoiceFields on Invoice {
    id
    number
    status
    kind
    issuedAt
    total {
      amount
      currency
    }
    amountDue {
      amount
      currency
    }
  }
`);
