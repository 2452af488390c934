// Where an invoice's money stands, as figures (total, credit applied when issued, credit notes, paid, remaining) and
// as a bar of paid / credited / remaining. The bar is decoration for sighted readers: it is hidden from screen
// readers, which read the same figures in the list beside it. Every figure is the API's; nothing is added up here.
import { Box, Group, Text } from '@mantine/core';
import type { AdminInvoiceQuery } from '../../graphql/graphql';
import { money } from '../components/money';

type Invoice = AdminInvoiceQuery['invoice'];

const PARTS = [
  { key: 'paid', label: 'Paid', color: 'var(--mantine-color-green-7)' },
  { key: 'credited', label: 'Credited', color: 'var(--mantine-color-blue-7)' },
  { key: 'remaining', label: 'Remaining', color: 'var(--mantine-color-gray-4)' },
] as const;

export function Settlement({ invoice }: { invoice: Invoice }) {
  const amounts = {
    paid: invoice.amountPaid.amount,
    credited: invoice.amountCredited.amount,
    remaining: invoice.amountRemaining.amount,
  };
  const whole = amounts.paid + amounts.credited + amounts.remaining;
  return (
    <>
      <Box
        component="dl"
        m={0}
        style={{
          display: 'grid',
          gap: 'var(--mantine-spacing-xs)',
          gridTemplateColumns: 'repeat(auto-fit, minmax(8rem, 1fr))',
        }}
      >
        <Figure label="Total" value={money(invoice.total)} />
        <Figure label="Credit applied" value={money(invoice.creditApplied)} />
        <Figure label="Credit notes" value={money(invoice.amountCredited)} />
        <Figure label="Paid" value={money(invoice.amountPaid)} />
        <Figure label="Remaining" value={money(invoice.amountRemaining)} />
      </Box>
      {whole > 0 && (
        <>
          <Box aria-hidden="true" style={{ display: 'flex', height: 12, borderRadius: 6, overflow: 'hidden' }}>
            {PARTS.map((part) =>
              amounts[part.key] > 0 ? (
                <div key={part.key} style={{ flexGrow: amounts[part.key], background: part.color }} />
              ) : null,
            )}
          </Box>
          <Group gap="md" aria-hidden="true">
            {PARTS.map((part) => (
              <Group key={part.key} gap={4}>
                <span
                  style={{ width: 10, height: 10, borderRadius: 2, background: part.color, display: 'inline-block' }}
                />
                <Text size="sm">{part.label}</Text>
              </Group>
            ))}
          </Group>
        </>
      )}
    </>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text component="dt" size="sm">
        {label}
      </Text>
      <Text component="dd" fw={600} m={0}>
        {value}
      </Text>
    </div>
  );
}
