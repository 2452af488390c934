// What a plan change would do, as previewPlanChange works it out with the change's own arithmetic: the prorated
// lines, the credit that pays part of it, the amount due now (data-testid="due-now": the formatted amount only)
// and what each period costs after. ChangePlanDialog asks again whenever the plan or quantity changes.
import { Group, Stack, Table, Text } from '@mantine/core';
import type { PreviewPlanChangeQuery as PreviewAnswer } from '../graphql/graphql';
import { graphql } from '../graphql';
import { formatDate, formatMoney } from '../lib/format';

export const PreviewPlanChangeQuery = graphql(`
  query PreviewPlanChange($input: ChangePlanInput!) {
    previewPlanChange(input: $input) {
      timing
      effectiveAt
      lines {
        kind
        description
        amount
      }
      amountDueNow
      creditApplied
      creditGranted
      nextPeriodAmount
      currency
    }
  }
`);

export type PlanChangePreviewData = PreviewAnswer['previewPlanChange'];

export function PlanChangePreview({ preview, locale }: { preview: PlanChangePreviewData; locale: string }) {
  const money = (amount: number) => formatMoney(amount, preview.currency, locale);
  return (
    <Stack gap="xs" aria-label="What the change costs" role="group">
      <Text size="sm">
        {preview.timing === 'NOW'
          ? 'The new plan starts now.'
          : `The new plan starts on ${formatDate(preview.effectiveAt, locale)}.`}
      </Text>
      {preview.lines.length > 0 && (
        <Table>
          <Table.Tbody>
            {preview.lines.map((line, index) => (
              <Table.Tr key={`${index}-${line.description}`}>
                <Table.Td>{line.description}</Table.Td>
                <Table.Td ta="right">{money(line.amount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="space-between" gap="xs">
        <Text size="sm">Credit applied</Text>
        <Text size="sm">{money(preview.creditApplied)}</Text>
      </Group>
      {preview.creditGranted > 0 && (
        <Group justify="space-between" gap="xs">
          <Text size="sm">Added to your credit balance</Text>
          <Text size="sm">{money(preview.creditGranted)}</Text>
        </Group>
      )}
      <Group justify="space-between" gap="xs">
        <Text size="sm">Each period after</Text>
        <Text size="sm">{money(preview.nextPeriodAmount)}</Text>
      </Group>
      <Group justify="space-between" gap="xs">
        <Text fw={700}>Due now</Text>
        <Text fw={700} data-testid="due-now">
          {money(preview.amountDueNow)}
        </Text>
      </Group>
    </Stack>
  );
}
