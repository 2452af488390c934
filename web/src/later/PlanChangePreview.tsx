// LATER: needs previewPlanChange(input: ChangePlanInput!) in schema.graphql. Move to src/billing/, run
// `npm run web:codegen`, and render <PlanChangePreview input={…} locale={locale} /> in ChangePlanDialog
// (src/pages/SubscriptionPage.tsx) above "Confirm change", disabling the confirm button until it has loaded.
import { Alert, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { graphql } from '../graphql';
import { formatDate, formatMoney } from '../lib/format';

const PreviewPlanChangeQuery = graphql(`
  query PreviewPlanChange($input: ChangePlanInput!) {
    previewPlanChange(input: $input) {
      amountDueNow {
        amount
        currency
      }
      creditApplied {
        amount
        currency
      }
      nextPeriodAmount {
        amount
        currency
      }
      lines {
        description
        amount {
          amount
          currency
        }
      }
      timing
      effectiveAt
    }
  }
`);

export function PlanChangePreview({
  input,
  locale,
}: {
  input: { subscriptionId: string; planId: string; quantity?: number };
  locale: string;
}) {
  const [result] = useQuery({ query: PreviewPlanChangeQuery, variables: { input }, requestPolicy: 'network-only' });
  const preview = result.data?.previewPlanChange;
  if (result.error) return <Alert color="red">{formErrors(result.error).message}</Alert>;
  if (!preview) return <Loader size="sm" aria-label="Working out the change" />;
  const money = (value: { amount: number; currency: string }) => formatMoney(value.amount, value.currency, locale);
  return (
    <Stack gap="xs" aria-live="polite">
      <Text fw={600}>
        {preview.timing === 'NOW'
          ? `Due now: ${money(preview.amountDueNow)}`
          : `From ${formatDate(preview.effectiveAt, locale)}`}
      </Text>
      <Table>
        <Table.Tbody>
          {preview.lines.map((line) => (
            <Table.Tr key={line.description}>
              <Table.Td>{line.description}</Table.Td>
              <Table.Td ta="right">{money(line.amount)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {preview.creditApplied.amount > 0 && <Text size="sm">Credit applied: {money(preview.creditApplied)}</Text>}
      <Text size="sm">Each period after: {money(preview.nextPeriodAmount)}</Text>
    </Stack>
  );
}
