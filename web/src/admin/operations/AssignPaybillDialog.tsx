// Assigning an unmatched paybill payment: the operator types what they know of the invoice (its number, or part of
// it: the customer may have typed it wrong), picks it among the open invoices that match, and the payment is applied
// to it (the rest, if any, goes to that customer's balance; docs/paybill.md).
import { Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { formErrors, NO_ERRORS } from '../../api/errors';
import { ActionDialog } from '../../components/ActionDialog';
import { graphql } from '../../graphql';
import { money } from '../components/money';
import type { PaybillPaymentRow } from './PaybillSection';

const OpenInvoicesQuery = graphql(`
  query AdminOpenInvoicesByNumber($number: String!) {
    invoices(first: 8, filter: { number: $number, status: OPEN }) {
      edges {
        node {
          id
          number
          amountRemaining {
            amount
            currency
          }
          customer {
            id
            name
          }
        }
      }
    }
  }
`);

const AssignPaybillPaymentMutation = graphql(`
  mutation AdminAssignPaybillPayment($input: AssignPaybillPaymentInput!) {
    assignPaybillPayment(input: $input) {
      id
      status
      customer {
        id
        name
      }
    }
  }
`);

/** Shorter searches match too much to choose from. */
const MIN_SEARCH = 3;

export function AssignPaybillDialog({
  payment,
  onClose,
  onDone,
}: {
  payment: PaybillPaymentRow | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const [search, setSearch] = useState('');
  const [invoiceId, setInvoiceId] = useState<string | null>(null);
  const [shownFor, setShownFor] = useState<string | null>(null);
  // A fresh form for each payment opened (React's "reset state when a prop changes", without an effect).
  if ((payment?.id ?? null) !== shownFor) {
    setShownFor(payment?.id ?? null);
    setSearch(payment?.billRefNumber ?? '');
    setInvoiceId(null);
  }
  const term = search.trim();
  const [found] = useQuery({
    query: OpenInvoicesQuery,
    variables: { number: term },
    pause: !payment || term.length < MIN_SEARCH,
  });
  const [result, assign] = useMutation(AssignPaybillPaymentMutation);
  const [sent, setSent] = useState<string | null>(null);
  const errors = payment && sent === payment.id ? formErrors(result.error, ['invoiceId']) : NO_ERRORS;
  const invoices = term.length >= MIN_SEARCH ? (found.data?.invoices.edges.map((edge) => edge.node) ?? []) : [];
  return (
    <ActionDialog
      title="Assign paybill payment"
      opened={payment !== null}
      onClose={onClose}
      confirmLabel="Assign to invoice"
      busy={result.fetching}
      confirmDisabled={!invoiceId}
      error={errors.message ?? errors.fields.invoiceId ?? null}
      onConfirm={() => {
        if (!payment || !invoiceId) return;
        setSent(payment.id);
        void assign({ input: { paybillPaymentId: payment.id, invoiceId } }).then((answer) => {
          if (!answer.error) onDone();
        });
      }}
    >
      {payment && (
        <Text size="sm">
          {money(payment.amount)} from {payment.payerName} ({payment.payerMsisdn}), receipt {payment.transId}, account
          typed “{payment.billRefNumber || 'nothing'}”.
        </Text>
      )}
      <TextInput
        label="Invoice number"
        description={`At least ${MIN_SEARCH} characters of it; open invoices only`}
        value={search}
        onChange={(event) => {
          setSearch(event.currentTarget.value);
          setInvoiceId(null);
        }}
      />
      {term.length >= MIN_SEARCH && !found.fetching && invoices.length === 0 && (
        <Text size="sm" role="status">
          No open invoice’s number contains “{term}”.
        </Text>
      )}
      {invoices.length > 0 && (
        <Radio.Group label="Open invoices" value={invoiceId} onChange={setInvoiceId}>
          <Stack gap={6} mt={4}>
            {invoices.map((invoice) => (
              <Radio
                key={invoice.id}
                value={invoice.id}
                label={`${invoice.number} · ${invoice.customer.name} · ${money(invoice.amountRemaining)} to pay`}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
    </ActionDialog>
  );
}
