// "New plan": product, name, currency, cadence, trial, and the price: one flat amount, or tiers (graduated: each
// tier prices its own units; volume: the tier the quantity falls in prices them all), each with "up to" units (empty
// on the last), a unit price and a flat fee. Amounts are typed as decimals of the currency.
import { Button, Group, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { FormMessage } from '../../components/FormMessage';
import type { BillingInterval, PricingModel } from '../../graphql/graphql';
import { amountOf, limitsOf, lines, wholeNumber } from './formValues';
import { CreatePlanMutation } from './operations';

interface TierRow {
  upTo: string;
  unit: string;
  flat: string;
}

const INTERVALS: BillingInterval[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
const FIELDS = ['productId', 'name', 'amount', 'currency', 'interval', 'intervalCount', 'trialDays', 'tiers', 'limits'];

export function PlanForm({ products, onCreated }: { products: { id: string; name: string }[]; onCreated: () => void }) {
  const [model, setModel] = useState<PricingModel>('FLAT');
  const [tiers, setTiers] = useState<TierRow[]>([
    { upTo: '', unit: '', flat: '' },
    { upTo: '', unit: '', flat: '' },
  ]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<string | null>(null);
  const [result, createPlan] = useMutation(CreatePlanMutation);
  const errors = formErrors(result.error, FIELDS);
  const fieldError = (name: string) => local[name] ?? errors.fields[name];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const currency = text('currency').toUpperCase();
    const problems: Record<string, string> = {};
    const amount = amountOf(text('amount') || '0', currency);
    if (typeof amount === 'string') problems.amount = amount;
    const limits = limitsOf(text('limits'));
    if (typeof limits === 'string') problems.limits = limits;
    const tierInput =
      model === 'FLAT' ? undefined : tiers.map((tier, index) => readTier(tier, index, currency, problems));
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    const answer = await createPlan({
      input: {
        productId: text('productId'),
        name: text('name'),
        currency,
        amount: amount as number,
        interval: text('interval') as BillingInterval,
        intervalCount: wholeNumber(text('intervalCount')) ?? 1,
        trialDays: wholeNumber(text('trialDays')) ?? 0,
        features: lines(text('features')),
        limits: limits as Record<string, number>,
        pricingModel: model,
        tiers: tierInput as { upTo: number | null; unitAmount: number; flatAmount: number }[] | undefined,
      },
    });
    if (answer.data) {
      setCreated(answer.data.createPlan.name);
      element.reset();
      onCreated();
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-plan-heading">
      <Stack gap="sm" maw={640}>
        <Text fw={700} id="new-plan-heading" component="h3" size="lg">
          New plan
        </Text>
        <FormMessage message={errors.message} />
        {created && (
          <Text role="status" fw={600}>
            Plan {created} created.
          </Text>
        )}
        <NativeSelect
          name="productId"
          label="Product"
          required
          error={fieldError('productId')}
          data={products.map((product) => ({ value: product.id, label: product.name }))}
        />
        <TextInput name="name" label="Plan name" required error={fieldError('name')} />
        <Group grow align="flex-start">
          <TextInput
            name="currency"
            label="Currency"
            defaultValue="KES"
            required
            maxLength={3}
            error={fieldError('currency')}
          />
          <NativeSelect
            name="interval"
            label="Billed every"
            defaultValue="MONTH"
            data={INTERVALS.map((value) => ({ value, label: value.toLowerCase() }))}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            name="intervalCount"
            label="Intervals per period"
            defaultValue="1"
            inputMode="numeric"
            error={fieldError('intervalCount')}
          />
          <TextInput
            name="trialDays"
            label="Trial days"
            defaultValue="0"
            inputMode="numeric"
            error={fieldError('trialDays')}
          />
        </Group>
        <NativeSelect
          label="Pricing"
          value={model}
          onChange={(event) => setModel(event.currentTarget.value as PricingModel)}
          data={[
            { value: 'FLAT', label: 'Flat: one price per unit' },
            { value: 'GRADUATED', label: 'Graduated tiers' },
            { value: 'VOLUME', label: 'Volume tiers' },
          ]}
        />
        {model === 'FLAT' ? (
          <TextInput
            name="amount"
            label="Price per period"
            description="In the currency, e.g. 1500 or 1500.50"
            required
            error={fieldError('amount')}
          />
        ) : (
          <TierFields tiers={tiers} setTiers={setTiers} error={fieldError('tiers')} local={local} />
        )}
        <Textarea name="features" label="Features" description="One per line" autosize minRows={2} />
        <Textarea
          name="limits"
          label="Limits"
          description="One per line, e.g. tills = 5 (apps read them from entitlement)"
          autosize
          minRows={2}
          error={fieldError('limits')}
        />
        <Button type="submit" loading={result.fetching} disabled={result.fetching}>
          Create plan
        </Button>
      </Stack>
    </form>
  );
}

function readTier(tier: TierRow, index: number, currency: string, problems: Record<string, string>) {
  const unit = amountOf(tier.unit || '0', currency);
  const flat = amountOf(tier.flat || '0', currency);
  const upTo = tier.upTo.trim() === '' ? null : wholeNumber(tier.upTo);
  if (typeof unit === 'string') problems[`tier${index}.unit`] = unit;
  if (typeof flat === 'string') problems[`tier${index}.flat`] = flat;
  if (tier.upTo.trim() !== '' && upTo === null) problems[`tier${index}.upTo`] = 'Enter a whole number of units';
  return { upTo, unitAmount: unit, flatAmount: flat };
}

function TierFields({
  tiers,
  setTiers,
  error,
  local,
}: {
  tiers: TierRow[];
  setTiers: (tiers: TierRow[]) => void;
  error?: string;
  local: Record<string, string>;
}) {
  const change = (index: number, key: keyof TierRow, value: string) =>
    setTiers(tiers.map((tier, at) => (at === index ? { ...tier, [key]: value } : tier)));
  return (
    <Stack gap="xs" component="fieldset" className="admin-fieldset">
      <legend>Tiers (leave "up to" empty on the last)</legend>
      {error && (
        <Text c="var(--mantine-color-error)" size="sm" role="alert">
          {error}
        </Text>
      )}
      {tiers.map((tier, index) => (
        <Group key={index} grow align="flex-start" wrap="wrap">
          <TextInput
            label={`Tier ${index + 1} up to (units)`}
            inputMode="numeric"
            value={tier.upTo}
            onChange={(event) => change(index, 'upTo', event.currentTarget.value)}
            error={local[`tier${index}.upTo`]}
          />
          <TextInput
            label={`Tier ${index + 1} unit price`}
            value={tier.unit}
            onChange={(event) => change(index, 'unit', event.currentTarget.value)}
            error={local[`tier${index}.unit`]}
          />
          <TextInput
            label={`Tier ${index + 1} flat fee`}
            value={tier.flat}
            onChange={(event) => change(index, 'flat', event.currentTarget.value)}
            error={local[`tier${index}.flat`]}
          />
        </Group>
      ))}
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={() => setTiers([...tiers, { upTo: '', unit: '', flat: '' }])}>
          Add tier
        </Button>
        {tiers.length > 1 && (
          <Button variant="subtle" size="xs" onClick={() => setTiers(tiers.slice(0, -1))}>
            Remove last tier
          </Button>
        )}
      </Group>
    </Stack>
  );
}
