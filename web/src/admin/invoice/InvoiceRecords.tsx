// What has moved money on an invoice: its payment attempts with their refunds, the offline payments recorded, and
// the credit notes issued, each note linked to its page and PDF.
import { Anchor, Text } from '@mantine/core';
import { DataTable } from '../components/DataTable';
import { day, moment, money } from '../components/money';
import { PaymentsTable } from '../components/PaymentsTable';
import { Section } from '../components/Section';
import type { AdminInvoice } from './invoiceDialog';

function words(value: string): string {
  return value.toLowerCase().replace(/_/g, ' ');
}

export function PaymentsWithRefunds({ invoice }: { invoice: AdminInvoice }) {
  const refunds = invoice.payments.flatMap((payment) => payment.refunds.map((refund) => ({ ...refund, payment })));
  return (
    <Section title="Payments and refunds">
      <PaymentsTable caption={`Payment attempts for ${invoice.number}`} payments={invoice.payments} />
      {refunds.length > 0 && (
        <DataTable
          caption={`Refunds on ${invoice.number}`}
          empty="No refunds."
          rows={refunds}
          columns={[
            { key: 'when', label: 'When', render: (row) => moment(row.createdAt) },
            { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
            { key: 'status', label: 'Status', render: (row) => words(row.status) },
            { key: 'reason', label: 'Reason', render: (row) => row.reason },
            {
              key: 'answer',
              label: 'Provider answer',
              render: (row) => <Text size="sm">{row.failureMessage ?? row.providerReference ?? '—'}</Text>,
            },
          ]}
        />
      )}
    </Section>
  );
}

export function OfflinePayments({ invoice }: { invoice: AdminInvoice }) {
  return (
    <Section title="Offline payments">
      <DataTable
        caption={`Offline payments for ${invoice.number}`}
        empty="No offline payments recorded."
        rows={invoice.offlinePayments}
        columns={[
          { key: 'received', label: 'Received', render: (row) => day(row.receivedAt) },
          { key: 'method', label: 'Method', render: (row) => words(row.method) },
          { key: 'reference', label: 'Reference', render: (row) => row.reference },
          { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
          { key: 'applied', label: 'Applied', align: 'right', render: (row) => money(row.appliedToInvoice) },
          { key: 'balance', label: 'To balance', align: 'right', render: (row) => money(row.creditedToBalance) },
          { key: 'note', label: 'Note', render: (row) => row.note ?? '—' },
        ]}
      />
    </Section>
  );
}

export function CreditNotes({ invoice }: { invoice: AdminInvoice }) {
  return (
    <Section title="Credit notes">
      <DataTable
        caption={`Credit notes on ${invoice.number}`}
        empty="No credit notes issued."
        rows={invoice.creditNotes}
        columns={[
          {
            key: 'number',
            label: 'Number',
            render: (row) => (
              <>
                <Anchor href={row.htmlUrl} target="_blank" rel="noopener">
                  {row.number}
                </Anchor>{' '}
                (
                <Anchor href={row.pdfUrl} target="_blank" rel="noopener" aria-label={`${row.number} as PDF`}>
                  PDF
                </Anchor>
                )
              </>
            ),
          },
          { key: 'issued', label: 'Issued', render: (row) => day(row.issuedAt) },
          { key: 'reason', label: 'Reason', render: (row) => words(row.reason) },
          { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
          { key: 'reduces', label: 'Off what was owed', align: 'right', render: (row) => money(row.reducesRemaining) },
          { key: 'balance', label: 'To balance', align: 'right', render: (row) => money(row.creditedToBalance) },
          { key: 'refund', label: 'Refunded', align: 'right', render: (row) => money(row.refundAmount) },
          { key: 'memo', label: 'Memo', render: (row) => row.memo ?? '—' },
        ]}
      />
    </Section>
  );
}
