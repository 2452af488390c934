// An invoice's number as a link to its page in the console, wherever an invoice is listed.
import { Anchor } from '@mantine/core';
import { Link } from 'react-router';

export function InvoiceLink({ invoice }: { invoice: { id: string; number: string } }) {
  return (
    <Anchor component={Link} to={`/admin/invoices/${invoice.id}`}>
      {invoice.number}
    </Anchor>
  );
}
