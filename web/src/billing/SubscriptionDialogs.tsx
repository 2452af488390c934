// The lifecycle changes asked for in a dialog, shared by the portal's subscription page and the admin console's:
// change plan (with the API's preview), cancel (at period end or now), pause, and a new payment method. Each sends
// the same mutation either way; the API decides who may.
import { Loader, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { ActionDialog } from '../components/ActionDialog';
import type { SubscriptionDetailsQuery as Details } from '../graphql/graphql';
import { formatDate } from '../lib/format';
import { CancelSubscriptionMutation, ChangePlanMutation, PauseSubscriptionMutation } from './lifecycleOperations';
import { mpesaPhone, MPESA_PHONE_RULE } from './mpesa';
import { MpesaPhoneField } from './MpesaPhoneField';
import { UpdatePaymentMethodMutation } from './operations';
import { PlanChangePreview, PreviewPlanChangeQuery } from './PlanChangePreview';
import { ActivePlansQuery } from './planFields';
import { priceText, unavailableReason, type PaymentChoice } from './plans';
import { QuantityField } from './QuantityField';

type Subscription = Details['subscription'];

/** After a mutation: close the dialog and reload, unless the API refused (the dialog then shows why). */
function doneUnlessRefused(onDone: () => void) {
  return (answer: { error?: unknown }) => {
    if (!answer.error) onDone();
  };
}

export interface DialogProps {
  subscription: Subscription;
  /** How money and dates are written: the customer's locale in the portal, the operator's in the console. */
  locale: string;
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}

export function ChangePlanDialog({ subscription, locale, opened, onClose, onDone }: DialogProps) {
  const [plans] = useQuery({ query: ActivePlansQuery, pause: !opened });
  const [result, changePlan] = useMutation(ChangePlanMutation);
  const [planId, setPlanId] = useState(subscription.plan.id);
  const [quantity, setQuantity] = useState(String(subscription.quantity));
  const current = subscription.plan;
  // The API changes plans within one currency and billing interval.
  const choices = (plans.data?.plans.edges.map((edge) => edge.node) ?? []).filter(
    (plan) =>
      plan.price.currency === current.price.currency &&
      plan.interval === current.interval &&
      plan.intervalCount === current.intervalCount,
  );
  const count = Number.parseInt(quantity, 10);
  const validCount = Number.isSafeInteger(count) && count > 0 && String(count) === quantity.trim();
  const unchanged = planId === current.id && count === subscription.quantity;
  const input = { subscriptionId: subscription.id, planId, quantity: validCount ? count : undefined };
  // What the change would cost, asked again whenever the plan or the quantity changes.
  const [preview] = useQuery({
    query: PreviewPlanChangeQuery,
    variables: { input },
    requestPolicy: 'network-only',
    pause: !opened || unchanged || !validCount,
  });
  const previewData = !preview.fetching && !preview.error ? preview.data?.previewPlanChange : undefined;
  const previewErrors = formErrors(preview.error, ['planId', 'quantity']);
  const errors = formErrors(result.error, ['planId', 'quantity']);
  const quantityError =
    errors.fields.quantity ??
    previewErrors.fields.quantity ??
    (validCount ? undefined : 'Enter a whole number, 1 or more.');
  return (
    <ActionDialog
      title="Change plan"
      opened={opened}
      onClose={onClose}
      confirmLabel="Confirm change"
      busy={result.fetching}
      confirmDisabled={!previewData || unchanged}
      error={errors.message ?? previewErrors.message}
      onConfirm={() => {
        if (!previewData) return;
        void changePlan({ input }).then(doneUnlessRefused(onDone));
      }}
    >
      {plans.fetching && !plans.data && <Loader size="sm" role="status" aria-label="Loading plans" />}
      <Radio.Group
        label="New plan"
        value={planId}
        onChange={setPlanId}
        error={errors.fields.planId ?? previewErrors.fields.planId}
      >
        <Stack gap="xs" mt="xs">
          {choices.map((plan) => (
            <Radio
              key={plan.id}
              value={plan.id}
              label={`${plan.product.name}: ${plan.name}${plan.id === current.id ? ' (current)' : ''}`}
              description={priceText(plan, locale)}
            />
          ))}
        </Stack>
      </Radio.Group>
      <QuantityField value={quantity} onChange={setQuantity} error={quantityError} />
      <Text size="sm">
        An upgrade applies now, and the rest of this period is charged at once; a downgrade applies from the next
        period.
      </Text>
      {unchanged ? (
        <Text size="sm">Choose another plan or quantity to see what the change costs.</Text>
      ) : preview.fetching ? (
        <Loader size="sm" role="status" aria-label="Working out the change" />
      ) : (
        previewData && <PlanChangePreview preview={previewData} locale={locale} />
      )}
    </ActionDialog>
  );
}

export function CancelDialog({ subscription, locale, opened, onClose, onDone }: DialogProps) {
  const [when, setWhen] = useState<'end' | 'now'>(subscription.status === 'TRIALING' ? 'now' : 'end');
  const [result, cancel] = useMutation(CancelSubscriptionMutation);
  return (
    <ActionDialog
      title="Cancel subscription"
      opened={opened}
      onClose={onClose}
      confirmLabel="Cancel subscription"
      danger
      busy={result.fetching}
      error={formErrors(result.error).message}
      onConfirm={() => {
        void cancel({
          input: { subscriptionId: subscription.id, atPeriodEnd: when === 'end', creditUnusedTime: when === 'now' },
        }).then(doneUnlessRefused(onDone));
      }}
    >
      <Radio.Group label="When should it end?" value={when} onChange={(value) => setWhen(value as 'end' | 'now')}>
        <Stack gap="xs" mt="xs">
          <Radio
            value="end"
            label="At period end"
            description={
              subscription.currentPeriodEnd
                ? `You keep access until ${formatDate(subscription.currentPeriodEnd, locale)}, and can undo it until then.`
                : 'You can undo it until then.'
            }
          />
          <Radio value="now" label="Now" description="Access ends at once; unused paid time becomes credit." />
        </Stack>
      </Radio.Group>
    </ActionDialog>
  );
}

export function PauseDialog({ subscription, opened, onClose, onDone }: DialogProps) {
  const [periods, setPeriods] = useState('');
  const [result, pause] = useMutation(PauseSubscriptionMutation);
  const errors = formErrors(result.error, ['periods']);
  return (
    <ActionDialog
      title="Pause"
      opened={opened}
      onClose={onClose}
      confirmLabel="Pause"
      busy={result.fetching}
      error={errors.message}
      onConfirm={() => {
        const count = Number.parseInt(periods, 10);
        void pause({
          input: { subscriptionId: subscription.id, periods: Number.isSafeInteger(count) ? count : undefined },
        }).then(doneUnlessRefused(onDone));
      }}
    >
      <Text>While paused you have no access and receive no invoices.</Text>
      <TextInput
        label="Periods to pause (1 to 12; empty: until you resume)"
        type="number"
        inputMode="numeric"
        min={1}
        max={12}
        value={periods}
        onChange={(event) => setPeriods(event.currentTarget.value)}
        error={errors.fields.periods}
      />
    </ActionDialog>
  );
}

export function PaymentMethodDialog({ subscription, opened, onClose, onDone }: DialogProps) {
  const currency = subscription.plan.price.currency;
  const [choice, setChoice] = useState<PaymentChoice>(currency === 'KES' ? 'MPESA' : 'PAYPAL');
  const [phone, setPhone] = useState('');
  const [phoneError, setPhoneError] = useState<string | null>(null);
  const [result, update] = useMutation(UpdatePaymentMethodMutation);
  const errors = formErrors(result.error, ['paymentMethod.phone']);
  return (
    <ActionDialog
      title="Update payment method"
      opened={opened}
      onClose={onClose}
      confirmLabel="Save payment method"
      busy={result.fetching}
      error={errors.message}
      onConfirm={() => {
        const normalized = mpesaPhone(phone);
        if (choice === 'MPESA' && !normalized) {
          setPhoneError(`Not an M-Pesa number. ${MPESA_PHONE_RULE}`);
          return;
        }
        setPhoneError(null);
        void update({
          input: {
            subscriptionId: subscription.id,
            paymentMethod: choice === 'MPESA' ? { provider: 'MPESA', phone: normalized } : { provider: 'PAYPAL' },
          },
        }).then(doneUnlessRefused(onDone));
      }}
    >
      <Text size="sm">
        Now: {subscription.paymentMethodLabel ?? 'none'}. An unpaid invoice is charged to the new one.
      </Text>
      <Radio.Group label="Pay with" value={choice} onChange={(value) => setChoice(value as PaymentChoice)}>
        <Stack gap="xs" mt="xs">
          <Radio
            value="MPESA"
            label="M-Pesa"
            disabled={unavailableReason('MPESA', currency) !== null}
            description={unavailableReason('MPESA', currency) ?? undefined}
          />
          <Radio
            value="PAYPAL"
            label="PayPal"
            disabled={unavailableReason('PAYPAL', currency) !== null}
            description={unavailableReason('PAYPAL', currency) ?? undefined}
          />
        </Stack>
      </Radio.Group>
      {choice === 'MPESA' && (
        <MpesaPhoneField
          value={phone}
          onChange={(event) => setPhone(event.currentTarget.value)}
          error={phoneError ?? errors.fields['paymentMethod.phone']}
        />
      )}
    </ActionDialog>
  );
}
