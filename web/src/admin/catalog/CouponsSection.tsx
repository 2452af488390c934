// Coupons: what each takes off, for how long, how often it was redeemed and until when; and "New coupon".
import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { FormMessage } from '../../components/FormMessage';
import type { AdminCatalogQuery, CouponDuration } from '../../graphql/graphql';
import { dayStart } from '../components/listParams';
import { DataTable } from '../components/DataTable';
import { day, moneyList } from '../components/money';
import { wholeNumber } from './formValues';
import { CreateCouponMutation, ExpireCouponMutation } from './operations';

type Coupon = AdminCatalogQuery['coupons'][number];

function offText(coupon: Coupon): string {
  if (coupon.percentOffBasisPoints !== null && coupon.percentOffBasisPoints !== undefined)
    return `${coupon.percentOffBasisPoints / 100} %`;
  const amounts = Object.entries(coupon.amountsOff ?? {}).map(([currency, amount]) => ({
    currency,
    amount: Number(amount),
  }));
  return moneyList(amounts);
}

export function CouponsSection({ coupons, onChanged }: { coupons: Coupon[]; onChanged: () => void }) {
  const [, expire] = useMutation(ExpireCouponMutation);
  return (
    <Stack gap="md">
      <DataTable
        caption="Coupons"
        empty="No coupons yet."
        rows={coupons}
        columns={[
          { key: 'code', label: 'Code', render: (row) => row.code },
          { key: 'name', label: 'Name', render: (row) => row.name },
          { key: 'off', label: 'Off', render: offText },
          {
            key: 'duration',
            label: 'Duration',
            render: (row) =>
              `${row.duration.toLowerCase()}${row.durationInPeriods ? ` (${row.durationInPeriods} periods)` : ''}`,
          },
          {
            key: 'redeemed',
            label: 'Redeemed',
            align: 'right',
            render: (row) => `${row.timesRedeemed}${row.maxRedemptions ? ` of ${row.maxRedemptions}` : ''}`,
          },
          { key: 'until', label: 'Redeem by', render: (row) => day(row.redeemBy) },
          { key: 'active', label: 'Usable', render: (row) => (row.active ? 'yes' : 'no (expired or used up)') },
          {
            key: 'actions',
            label: 'Actions',
            // Expiring stops new redemptions; subscriptions that redeemed it keep their discount.
            render: (row) =>
              row.active ? (
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  c="red.9"
                  aria-label={`Expire coupon ${row.code}`}
                  onClick={() => void expire({ id: row.id }).then(onChanged)}
                >
                  Expire
                </Button>
              ) : null,
          },
        ]}
      />
      <CouponForm onCreated={onChanged} />
    </Stack>
  );
}

function CouponForm({ onCreated }: { onCreated: () => void }) {
  const [result, createCoupon] = useMutation(CreateCouponMutation);
  const errors = formErrors(result.error, [
    'code',
    'name',
    'percentOffBasisPoints',
    'duration',
    'durationInPeriods',
    'maxRedemptions',
    'redeemBy',
  ]);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const percent = Number.parseFloat(text('percent'));
    const answer = await createCoupon({
      input: {
        code: text('code'),
        name: text('name'),
        percentOffBasisPoints: Number.isFinite(percent) ? Math.round(percent * 100) : undefined,
        duration: text('duration') as CouponDuration,
        durationInPeriods: wholeNumber(text('durationInPeriods')) ?? undefined,
        maxRedemptions: wholeNumber(text('maxRedemptions')) ?? undefined,
        redeemBy: dayStart(text('redeemBy')),
      },
    });
    if (answer.data) {
      element.reset();
      onCreated();
    }
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-coupon-heading">
      <Stack gap="sm" maw={640}>
        <Text fw={700} id="new-coupon-heading" component="h3" size="lg">
          New coupon
        </Text>
        <FormMessage message={errors.message} />
        <Group grow align="flex-start">
          <TextInput name="code" label="Coupon code" required error={errors.fields.code} />
          <TextInput name="name" label="Coupon name" required error={errors.fields.name} />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            name="percent"
            label="Percent off"
            inputMode="decimal"
            error={errors.fields.percentOffBasisPoints}
          />
          <NativeSelect
            name="duration"
            label="Applies"
            data={[
              { value: 'ONCE', label: 'Once' },
              { value: 'REPEATING', label: 'For some periods' },
              { value: 'FOREVER', label: 'Forever' },
            ]}
            error={errors.fields.duration}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            name="durationInPeriods"
            label="Periods (when repeating)"
            inputMode="numeric"
            error={errors.fields.durationInPeriods}
          />
          <TextInput
            name="maxRedemptions"
            label="Most redemptions"
            inputMode="numeric"
            error={errors.fields.maxRedemptions}
          />
          <TextInput name="redeemBy" label="Redeem by" type="date" error={errors.fields.redeemBy} />
        </Group>
        <Text size="sm">A redeem-by date ends a coupon on that day; Expire, in the list above, ends it at once.</Text>
        <Button type="submit" loading={result.fetching} disabled={result.fetching}>
          Create coupon
        </Button>
      </Stack>
    </form>
  );
}
