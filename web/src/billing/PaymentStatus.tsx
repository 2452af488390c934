// The live state of a subscription's payment: "Check your phone" while an M-Pesa prompt waits, then "Payment
// received" or "Payment failed" with the provider's reason and a way to try again. It follows the subscription
// (subscriptionUpdated: a new invoice, a status change) and the invoice's payments (paymentUpdated: a new attempt,
// an outcome), and reads the state again whenever the socket comes back, since events are not replayed.
import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useOnReconnect } from '../api/client';
import { formErrors } from '../api/errors';
import type { PaymentFieldsFragment, PaymentStateFieldsFragment } from '../graphql/graphql';
import { formatDate, formatMoney } from '../lib/format';
import { failureReason, MPESA_PHONE_RULE, mpesaPhone } from './mpesa';
import { MpesaPhoneField } from './MpesaPhoneField';
import {
  PayInvoiceMutation,
  PaymentLive,
  SubscriptionPaymentLive,
  SubscriptionPaymentQuery,
  UpdatePaymentMethodMutation,
} from './operations';

type Invoice = PaymentStateFieldsFragment['invoices'][number];
export type PaymentPhase = 'loading' | 'trial' | 'pending' | 'received' | 'failed' | 'none';

/** The invoice being paid: the one named, else the latest open one, else the latest. */
export function invoiceToFollow(invoices: readonly Invoice[], invoiceId?: string): Invoice | null {
  if (invoiceId) return invoices.find((invoice) => invoice.id === invoiceId) ?? null;
  const open = invoices.filter((invoice) => invoice.status === 'OPEN');
  return open.at(-1) ?? invoices.at(-1) ?? null;
}

/** The newest of the payments known: a later attempt wins; for one attempt, the later update. */
export function latestPayment(...payments: (PaymentFieldsFragment | null | undefined)[]): PaymentFieldsFragment | null {
  let latest: PaymentFieldsFragment | null = null;
  for (const payment of payments) {
    if (!payment) continue;
    if (
      !latest ||
      payment.attempt > latest.attempt ||
      (payment.attempt === latest.attempt && payment.updatedAt >= latest.updatedAt)
    )
      latest = payment;
  }
  return latest;
}

export function paymentPhase(
  subscription: PaymentStateFieldsFragment | null,
  invoice: Invoice | null,
  payment: PaymentFieldsFragment | null,
  retriedAfterAttempt: number | null,
): PaymentPhase {
  if (!subscription) return 'loading';
  if (invoice?.status === 'PAID' || payment?.status === 'SUCCEEDED') return 'received';
  const failed = payment && (payment.status === 'FAILED' || payment.status === 'CANCELED');
  if (failed && !(retriedAfterAttempt !== null && payment.attempt <= retriedAfterAttempt)) return 'failed';
  if (!invoice) return subscription.status === 'TRIALING' ? 'trial' : 'pending';
  if (invoice.status !== 'OPEN') return 'none';
  return 'pending';
}

const HEADINGS: Record<PaymentPhase, string> = {
  loading: 'Checking the payment…',
  trial: 'Your trial has started',
  pending: 'Check your phone',
  received: 'Payment received',
  failed: 'Payment failed',
  none: 'Nothing to pay',
};

export function PaymentStatus({
  subscriptionId,
  invoiceId,
  phone,
  locale,
  redirectToPaypal = false,
  onPhase,
}: {
  subscriptionId: string;
  invoiceId?: string;
  /** The M-Pesa number the customer last gave, if this page knows it (the API only shows it masked). */
  phone?: string;
  locale: string;
  /** Send the buyer to PayPal's approval page as soon as the API has it (right after subscribing). */
  redirectToPaypal?: boolean;
  /** Told each new phase (the hosted checkout offers the way back to the app once paid). */
  onPhase?: (phase: PaymentPhase) => void;
}) {
  const [query, refetch] = useQuery({
    query: SubscriptionPaymentQuery,
    variables: { id: subscriptionId },
    requestPolicy: 'network-only',
  });
  const [live] = useSubscription({ query: SubscriptionPaymentLive, variables: { subscriptionId } });
  // Whichever arrived last: the query (first, and after each reconnection) or a live update.
  const [subscription, setSubscription] = useState<PaymentStateFieldsFragment | null>(null);
  useEffect(() => {
    if (query.data) setSubscription(query.data.subscription);
  }, [query.data]);
  useEffect(() => {
    if (live.data) setSubscription(live.data.subscriptionUpdated);
  }, [live.data]);
  useOnReconnect(() => refetch({ requestPolicy: 'network-only' }));

  const invoice = subscription ? invoiceToFollow(subscription.invoices, invoiceId) : null;
  const [paymentEvent] = useSubscription({
    query: PaymentLive,
    variables: { invoiceId: invoice?.id ?? '' },
    pause: !invoice,
  });
  // A payment event belongs to the invoice followed when it arrived.
  const [event, setEvent] = useState<{ invoiceId: string; payment: PaymentFieldsFragment } | null>(null);
  useEffect(() => {
    if (paymentEvent.data && invoice) setEvent({ invoiceId: invoice.id, payment: paymentEvent.data.paymentUpdated });
    // Only a new event is recorded; the invoice it is for is the one followed at that moment.
  }, [paymentEvent.data]);
  const payment = latestPayment(
    invoice?.payments.at(-1),
    event && event.invoiceId === invoice?.id ? event.payment : null,
  );
  const [retriedAfter, setRetriedAfter] = useState<number | null>(null);
  const phase = paymentPhase(subscription, invoice, payment, retriedAfter);
  const provider = payment?.provider ?? subscription?.paymentProvider ?? null;
  const approvalUrl = payment?.status === 'PENDING' ? (payment.approvalUrl ?? subscription?.approvalUrl) : null;

  useEffect(() => {
    onPhase?.(phase);
    // Only a new phase is told, not a new callback identity.
  }, [phase]);

  const redirected = useRef(false);
  useEffect(() => {
    if (!redirectToPaypal || !approvalUrl || redirected.current || !/^https?:\/\//.test(approvalUrl)) return;
    redirected.current = true;
    window.location.assign(approvalUrl);
  }, [redirectToPaypal, approvalUrl]);

  const amount = invoice ? formatMoney(invoice.amountDue.amount, invoice.amountDue.currency, locale) : null;
  const heading = phase === 'pending' && provider === 'PAYPAL' ? 'Waiting for PayPal' : HEADINGS[phase];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="payment-status-heading">
      <Stack gap="sm" aria-live="polite">
        <Title order={2} size="h3" id="payment-status-heading">
          {heading}
        </Title>
        {query.error && !subscription && <Alert color="red">{formErrors(query.error).message}</Alert>}
        {phase === 'loading' && <Loader size="sm" role="status" aria-label="Loading" />}
        {phase === 'trial' && (
          <Text>
            Nothing is charged until the trial ends
            {subscription?.trialEnd ? ` on ${formatDate(subscription.trialEnd, locale)}` : ''}. We collect the first
            payment then.
          </Text>
        )}
        {phase === 'pending' && provider !== 'PAYPAL' && (
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <Loader size="sm" aria-hidden />
            <Text>
              {invoice
                ? `We sent an M-Pesa prompt for ${amount} to ${subscription?.paymentMethodLabel ?? 'your phone'}. Enter your M-Pesa PIN on your phone to pay.`
                : 'Your invoice is being prepared: the M-Pesa prompt arrives on your phone in a moment.'}
            </Text>
          </Group>
        )}
        {phase === 'pending' && provider === 'PAYPAL' && (
          <Stack gap="xs">
            <Text>
              {approvalUrl
                ? redirectToPaypal
                  ? 'Taking you to PayPal to approve the payment…'
                  : 'Approve the payment on PayPal. Once you return, this page shows the result.'
                : 'PayPal is preparing the payment…'}
            </Text>
            {approvalUrl && (
              <Anchor href={approvalUrl} fw={600}>
                Continue to PayPal
              </Anchor>
            )}
          </Stack>
        )}
        {phase === 'received' && (
          <Text>
            Thank you: {amount ?? 'the invoice'} is paid
            {payment?.receiptNumber ? ` (M-Pesa receipt ${payment.receiptNumber})` : ''}.
          </Text>
        )}
        {phase === 'none' && invoice && (
          <Text>
            Invoice {invoice.number} is {invoice.status.toLowerCase()}.
          </Text>
        )}
        {phase === 'failed' && payment && invoice && (
          <RetryPayment
            key={payment.id + payment.attempt}
            subscriptionId={subscriptionId}
            invoiceId={invoice.id}
            payment={payment}
            phone={phone}
            onRetried={() => setRetriedAfter(payment.attempt)}
          />
        )}
      </Stack>
    </Paper>
  );
}

function RetryPayment({
  subscriptionId,
  invoiceId,
  payment,
  phone,
  onRetried,
}: {
  subscriptionId: string;
  invoiceId: string;
  payment: PaymentFieldsFragment;
  phone?: string;
  onRetried: () => void;
}) {
  const [phoneInput, setPhoneInput] = useState(phone ?? '');
  const [phoneError, setPhoneError] = useState<string | null>(null);
  const [payResult, payInvoice] = useMutation(PayInvoiceMutation);
  const [methodResult, updatePaymentMethod] = useMutation(UpdatePaymentMethodMutation);
  const busy = payResult.fetching || methodResult.fetching;
  const mpesa = payment.provider === 'MPESA';
  const errors = formErrors(methodResult.error ?? payResult.error, ['paymentMethod.phone']);

  async function retry() {
    if (busy) return;
    const typed = phoneInput.trim();
    const normalized = typed ? mpesaPhone(typed) : null;
    if (mpesa && typed && !normalized) {
      setPhoneError(`Not an M-Pesa number. ${MPESA_PHONE_RULE}`);
      return;
    }
    setPhoneError(null);
    const changed = mpesa && normalized !== null && normalized !== (phone ? mpesaPhone(phone) : null);
    // A new number is a new payment method, which collects by itself; the same one is paid again now.
    const answer = changed
      ? await updatePaymentMethod({
          input: { subscriptionId, paymentMethod: { provider: 'MPESA', phone: normalized } },
        })
      : await payInvoice({ input: { invoiceId } });
    if (!answer.error) onRetried();
  }

  return (
    <Stack gap="sm">
      <Text>{failureReason(payment)}</Text>
      {payment.hardDecline && <Text>This method cannot be charged again: use another number or way to pay.</Text>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void retry();
        }}
        noValidate
      >
        <Stack gap="sm" maw={420}>
          {errors.message && (
            <Alert color="red" role="alert">
              {errors.message}
            </Alert>
          )}
          {mpesa && (
            <MpesaPhoneField
              value={phoneInput}
              onChange={(event) => setPhoneInput(event.currentTarget.value)}
              error={phoneError ?? errors.fields['paymentMethod.phone']}
            />
          )}
          <Button type="submit" loading={busy} disabled={busy}>
            Try again
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
