// The plans, newest first: price (or tiers), cadence, version, status, and per plan "Change price" (a new version;
// subscriptions keep theirs) and "Archive" (no new subscriptions).
import { Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { ActionDialog } from '../../components/ActionDialog';
import type { AdminCatalogQuery } from '../../graphql/graphql';
import { formatInterval } from '../../lib/format';
import { DataTable } from '../components/DataTable';
import { money } from '../components/money';
import { amountOf } from './formValues';
import { ArchivePlanMutation, ChangePlanPriceMutation } from './operations';

type Plan = AdminCatalogQuery['plans']['edges'][number]['node'];

export function tiersText(plan: Plan): string {
  if (!plan.tiers?.length) return money(plan.price);
  const currency = plan.price.currency;
  return plan.tiers
    .map((tier) => {
      const flat = tier.flatAmount ? ` + ${money({ amount: tier.flatAmount, currency })}` : '';
      return `${tier.upTo === null || tier.upTo === undefined ? 'rest' : `to ${tier.upTo}`}: ${money({ amount: tier.unitAmount, currency })}${flat}`;
    })
    .join('; ');
}

export function PlansTable({ plans, onChanged }: { plans: Plan[]; onChanged: () => void }) {
  const [pricing, setPricing] = useState<Plan | null>(null);
  const [archiveResult, archive] = useMutation(ArchivePlanMutation);
  return (
    <>
      {archiveResult.error && <Text role="alert">{formErrors(archiveResult.error).message}</Text>}
      <DataTable
        caption="Plans"
        empty="No plans yet."
        rows={plans}
        columns={[
          { key: 'name', label: 'Plan', render: (row) => `${row.product.name}: ${row.name}` },
          { key: 'price', label: 'Price', render: (row) => `${tiersText(row)} (${row.pricingModel.toLowerCase()})` },
          { key: 'interval', label: 'Billed', render: (row) => formatInterval(row.interval, row.intervalCount) },
          { key: 'version', label: 'Version', align: 'right', render: (row) => row.version },
          { key: 'status', label: 'Status', render: (row) => row.status.toLowerCase() },
          {
            key: 'actions',
            label: 'Actions',
            render: (row) =>
              row.status === 'ACTIVE' ? (
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-sm"
                    variant="default"
                    onClick={() => setPricing(row)}
                    aria-label={`Change price of ${row.name}`}
                  >
                    Change price
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    c="red.9"
                    aria-label={`Archive ${row.name}`}
                    onClick={() => void archive({ id: row.id }).then(onChanged)}
                  >
                    Archive
                  </Button>
                </Group>
              ) : null,
          },
        ]}
      />
      {pricing && (
        <PriceDialog
          plan={pricing}
          onClose={() => setPricing(null)}
          onDone={() => {
            setPricing(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

function PriceDialog({ plan, onClose, onDone }: { plan: Plan; onClose: () => void; onDone: () => void }) {
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const [result, change] = useMutation(ChangePlanPriceMutation);
  const errors = formErrors(result.error, ['amount']);
  return (
    <ActionDialog
      title={`New price for ${plan.name}`}
      opened
      onClose={onClose}
      confirmLabel="Save new price"
      busy={result.fetching}
      error={errors.message}
      onConfirm={() => {
        const amount = amountOf(text, plan.price.currency);
        if (typeof amount === 'string') return setLocal(amount);
        setLocal(null);
        void change({ input: { planId: plan.id, amount } }).then((answer) => answer.data && onDone());
      }}
    >
      <Text size="sm">Now {money(plan.price)}. A new version is made; subscriptions keep the version they have.</Text>
      <TextInput
        label={`New price (${plan.price.currency})`}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        error={local ?? errors.fields.amount}
        data-autofocus
      />
    </ActionDialog>
  );
}
