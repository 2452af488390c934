import { Badge } from '@mantine/core';

const STATUSES: Record<string, { label: string; color: string }> = {
  TRIALING: { label: 'Trial', color: 'blue' },
  ACTIVE: { label: 'Active', color: 'green' },
  PAST_DUE: { label: 'Past due', color: 'orange' },
  INCOMPLETE: { label: 'Awaiting payment', color: 'yellow' },
  PAUSED: { label: 'Paused', color: 'gray' },
  CANCELED: { label: 'Cancelled', color: 'red' },
  UNPAID: { label: 'Unpaid', color: 'red' },
  INCOMPLETE_EXPIRED: { label: 'Expired', color: 'red' },
  OPEN: { label: 'Open', color: 'orange' },
  PAID: { label: 'Paid', color: 'green' },
  VOID: { label: 'Void', color: 'gray' },
  UNCOLLECTIBLE: { label: 'Uncollectible', color: 'red' },
  DRAFT: { label: 'Draft', color: 'gray' },
};

/** A subscription's or an invoice's status, in words (the colour only repeats them). */
export function StatusBadge({ status }: { status: string }) {
  const shown = STATUSES[status] ?? { label: status.toLowerCase(), color: 'gray' };
  return (
    // "dot": the words in the body colour (tinted text on a tint fails contrast), the colour in the dot beside them.
    <Badge color={shown.color} variant="dot">
      {shown.label}
    </Badge>
  );
}
