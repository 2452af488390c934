// Statuses the console shows beside subscriptions, invoices and payments: the portal's badge for the first two,
// the same "dot" style for payments (words in the body colour, the colour only repeats them).
import { Badge } from '@mantine/core';
import { StatusBadge } from '../../billing/StatusBadge';

const PAYMENT: Record<string, { label: string; color: string }> = {
  PENDING: { label: 'Pending', color: 'yellow' },
  SUCCEEDED: { label: 'Succeeded', color: 'green' },
  FAILED: { label: 'Failed', color: 'red' },
  CANCELED: { label: 'Cancelled', color: 'gray' },
  REFUNDED: { label: 'Refunded', color: 'gray' },
};

export function PaymentStatusBadge({ status }: { status: string }) {
  const shown = PAYMENT[status] ?? { label: status.toLowerCase(), color: 'gray' };
  return (
    <Badge color={shown.color} variant="dot">
      {shown.label}
    </Badge>
  );
}

export { StatusBadge };
