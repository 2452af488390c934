// Reads the invoice again when its money moves elsewhere: a payment attempt of an OPEN invoice changing, or a
// refund still PENDING with the provider being settled, so an operator sees it without reloading.
import { useSubscription } from 'urql';
import { PaymentLive } from '../../billing/operations';
import type { AdminInvoice } from './invoiceDialog';
import { RefundLive } from './operations';

export function FollowInvoice({ invoice, onChange }: { invoice: AdminInvoice; onChange: () => void }) {
  const pendingRefunds = invoice.payments.filter((payment) =>
    payment.refunds.some((refund) => refund.status === 'PENDING'),
  );
  return (
    <>
      {invoice.status === 'OPEN' && <FollowPayments invoiceId={invoice.id} onChange={onChange} />}
      {pendingRefunds.map((payment) => (
        <FollowRefunds key={payment.id} paymentId={payment.id} onChange={onChange} />
      ))}
    </>
  );
}

function FollowPayments({ invoiceId, onChange }: { invoiceId: string; onChange: () => void }) {
  useSubscription({ query: PaymentLive, variables: { invoiceId } }, (_previous, event) => {
    onChange();
    return event;
  });
  return null;
}

function FollowRefunds({ paymentId, onChange }: { paymentId: string; onChange: () => void }) {
  useSubscription({ query: RefundLive, variables: { paymentId } }, (_previous, event) => {
    onChange();
    return event;
  });
  return null;
}
