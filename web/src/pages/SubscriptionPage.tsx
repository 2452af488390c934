// One subscription: its state, the payment waiting (followed live), the changes a customer can make (each asked
// for in a dialog), its timeline and its invoices.
import { Alert, Anchor, Button, Card, Group, Loader, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useOnReconnect } from '../api/client';
import { formErrors } from '../api/errors';
import {
  CancelSubscriptionMutation,
  ChangePlanMutation,
  PauseSubscriptionMutation,
  ResumeSubscriptionMutation,
  SubscriptionChangedLive,
  SubscriptionDetailsQuery,
  UncancelSubscriptionMutation,
} from '../billing/lifecycleOperations';
import { mpesaPhone, MPESA_PHONE_RULE } from '../billing/mpesa';
import { MpesaPhoneField } from '../billing/MpesaPhoneField';
import { UpdatePaymentMethodMutation } from '../billing/operations';
import { PaymentStatus } from '../billing/PaymentStatus';
import { PlanChangePreview, PreviewPlanChangeQuery } from '../billing/PlanChangePreview';
import { ActivePlansQuery } from '../billing/planFields';
import { priceText, unavailableReason, type PaymentChoice } from '../billing/plans';
import { QuantityField } from '../billing/QuantityField';
import { StatusBadge } from '../billing/StatusBadge';
import { openInvoice, renewalText } from '../billing/subscriptionFacts';
import { Timeline } from '../billing/Timeline';
import { ActionDialog } from '../components/ActionDialog';
import { Page } from '../components/Page';
import { useCustomer } from '../components/useCustomer';
import type { SubscriptionDetailsQuery as Details } from '../graphql/graphql';
import { formatDate, formatMoney } from '../lib/format';

type Subscription = Details['subscription'];
type Dialog = 'change' | 'cancel' | 'pause' | 'method' | null;

const ENDED = new Set(['CANCELED', 'INCOMPLETE_EXPIRED']);

export default function SubscriptionPage() {
  const { id = '' } = useParams();
  // Back from a provider's approval page (PayPal): that invoice's payment is followed here until it settles.
  const [search] = useSearchParams();
  const followed = search.get('invoice');
  const { locale } = useCustomer();
  const [query, refetch] = useQuery({ query: SubscriptionDetailsQuery, variables: { id } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // Any change (a renewal, a payment, a change made in another tab) reloads the page's data.
  useSubscription({ query: SubscriptionChangedLive, variables: { subscriptionId: id } }, (_previous, event) => {
    reload();
    return event;
  });
  useOnReconnect(reload);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [uncancelResult, uncancel] = useMutation(UncancelSubscriptionMutation);
  const [resumeResult, resume] = useMutation(ResumeSubscriptionMutation);

  const subscription = query.data?.subscription;
  if (!subscription) {
    return (
      <Page title="Subscription">
        {query.fetching ? (
          <Loader role="status" aria-label="Loading the subscription" />
        ) : (
          <Alert color="red">{formErrors(query.error).message ?? 'Subscription not found.'}</Alert>
        )}
      </Page>
    );
  }

  const unpaid = openInvoice(subscription);
  const ended = ENDED.has(subscription.status);
  const close = () => setDialog(null);
  const done = () => {
    setDialog(null);
    reload();
  };
  const quickError = formErrors(uncancelResult.error ?? resumeResult.error).message;

  return (
    <Page title={subscription.plan.name}>
      <Card withBorder>
        <Stack gap="xs">
          <Group gap="sm">
            <StatusBadge status={subscription.status} />
            {subscription.quantity > 1 && <Text>{subscription.quantity} seats</Text>}
          </Group>
          <Text>{priceText(subscription.plan, locale)}</Text>
          {renewalText(subscription, locale) && <Text>{renewalText(subscription, locale)}</Text>}
          {subscription.pendingPlan && (
            <Text>
              From the next period: {subscription.pendingPlan.name}
              {subscription.pendingQuantity ? `, ${subscription.pendingQuantity} seats` : ''}.
            </Text>
          )}
          {subscription.endedAt && <Text>Ended on {formatDate(subscription.endedAt, locale)}.</Text>}
          <Text size="sm">Payment method: {subscription.paymentMethodLabel ?? 'none yet'}</Text>
        </Stack>
      </Card>

      {(unpaid || followed) && (
        <PaymentStatus subscriptionId={subscription.id} invoiceId={followed ?? unpaid!.id} locale={locale} />
      )}

      {!ended && (
        <section aria-labelledby="manage-heading">
          <Title order={2} size="h3" id="manage-heading" mb="xs">
            Manage
          </Title>
          {quickError && (
            <Alert color="red" role="alert" mb="xs">
              {quickError}
            </Alert>
          )}
          <Group gap="sm">
            {['ACTIVE', 'TRIALING', 'PAST_DUE'].includes(subscription.status) && (
              <Button variant="light" onClick={() => setDialog('change')}>
                Change plan
              </Button>
            )}
            {subscription.cancelAtPeriodEnd ? (
              <Button
                variant="light"
                loading={uncancelResult.fetching}
                disabled={uncancelResult.fetching}
                onClick={() => void uncancel({ input: { subscriptionId: subscription.id } }).then(reload)}
              >
                Undo cancellation
              </Button>
            ) : (
              <Button variant="light" color="red" onClick={() => setDialog('cancel')}>
                Cancel subscription
              </Button>
            )}
            {subscription.status === 'ACTIVE' && !subscription.cancelAtPeriodEnd && (
              <Button variant="light" onClick={() => setDialog('pause')}>
                Pause
              </Button>
            )}
            {subscription.status === 'PAUSED' && (
              <Button
                variant="light"
                loading={resumeResult.fetching}
                disabled={resumeResult.fetching}
                onClick={() => void resume({ input: { subscriptionId: subscription.id } }).then(reload)}
              >
                Resume
              </Button>
            )}
            <Button variant="light" onClick={() => setDialog('method')}>
              Update payment method
            </Button>
          </Group>
        </section>
      )}

      <section aria-labelledby="timeline-heading">
        <Title order={2} size="h3" id="timeline-heading" mb="xs">
          Timeline
        </Title>
        <Timeline subscription={subscription} locale={locale} />
      </section>

      <section aria-labelledby="invoices-heading">
        <Title order={2} size="h3" id="invoices-heading" mb="xs">
          Invoices
        </Title>
        {subscription.invoices.length === 0 ? (
          <Text>No invoices yet.</Text>
        ) : (
          <Stack gap={4}>
            {[...subscription.invoices].reverse().map((invoice) => (
              <Group key={invoice.id} gap="sm" wrap="wrap">
                <Text>{invoice.number}</Text>
                <Text>{formatDate(invoice.issuedAt, locale)}</Text>
                <Text>{formatMoney(invoice.total.amount, invoice.total.currency, locale)}</Text>
                <StatusBadge status={invoice.status} />
              </Group>
            ))}
            <Anchor component={Link} to="/invoices">
              All invoices, with their documents
            </Anchor>
          </Stack>
        )}
      </section>

      <ChangePlanDialog subscription={subscription} opened={dialog === 'change'} onClose={close} onDone={done} />
      <CancelDialog subscription={subscription} opened={dialog === 'cancel'} onClose={close} onDone={done} />
      <PauseDialog subscription={subscription} opened={dialog === 'pause'} onClose={close} onDone={done} />
      <PaymentMethodDialog subscription={subscription} opened={dialog === 'method'} onClose={close} onDone={done} />
    </Page>
  );
}

/** After a mutation: close the dialog and reload, unless the API refused (the dialog then shows why). */
function doneUnlessRefused(onDone: () => void) {
  return (answer: { error?: unknown }) => {
    if (!answer.error) onDone();
  };
}

interface DialogProps {
  subscription: Subscription;
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}

function ChangePlanDialog({ subscription, opened, onClose, onDone }: DialogProps) {
  const { locale } = useCustomer();
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

function CancelDialog({ subscription, opened, onClose, onDone }: DialogProps) {
  const { locale } = useCustomer();
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

function PauseDialog({ subscription, opened, onClose, onDone }: DialogProps) {
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

function PaymentMethodDialog({ subscription, opened, onClose, onDone }: DialogProps) {
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
