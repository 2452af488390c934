// The checkout form of a plan, shared by the subscribe page and the hosted checkout: the plan (product, price,
// trial, tiers, features), quantity (seat-based plans, or when the app set one), coupon, and a way to pay the plan's
// currency can take. It calls `onSubscribed` with the new subscription; the page then follows its first payment
// (PaymentStatus) or sends the buyer to PayPal.
import { Alert, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../api/errors';
import { Form, textOf } from '../components/Form';
import { graphql } from '../graphql';
import type { PlanFieldsFragment } from '../graphql/graphql';
import { formatMoney } from '../lib/format';
import { newIdempotencyKey } from '../lib/ids';
import { MPESA_PHONE_RULE, mpesaPhone } from './mpesa';
import { MpesaPhoneField } from './MpesaPhoneField';
import { PlanDetails } from './PlanDetails';
import { isSeatBased, periodAmount, unavailableReason, type PaymentChoice } from './plans';
import { QuantityField } from './QuantityField';

const SubscribeMutation = graphql(`
  mutation Subscribe($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      status
      trialEnd
      paymentProvider
    }
  }
`);

const CHOICES: { value: PaymentChoice; label: string }[] = [
  { value: 'MPESA', label: 'M-Pesa' },
  { value: 'PAYPAL', label: 'PayPal' },
];

export interface Subscribed {
  subscriptionId: string;
  /** The M-Pesa number prompted, for "Try again" (the API only shows it masked). */
  phone?: string;
  paypal: boolean;
}

export function Checkout({
  plan,
  customer,
  locale,
  initialQuantity,
  initialCoupon,
  onSubscribed,
}: {
  plan: PlanFieldsFragment;
  customer: { id: string; phone?: string | null };
  locale: string;
  initialQuantity?: number | null;
  initialCoupon?: string | null;
  onSubscribed: (subscribed: Subscribed) => void;
}) {
  const [result, subscribe] = useMutation(SubscribeMutation);
  // One key per visit: a retried submission (a lost answer) returns the same subscription instead of a second one.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [choice, setChoice] = useState<PaymentChoice | null>(null);
  const [quantity, setQuantity] = useState(String(initialQuantity ?? 1));
  const [phoneError, setPhoneError] = useState<string | null>(null);
  const errors = formErrors(result.error, ['quantity', 'couponCode', 'paymentMethod.phone', 'paymentMethod']);

  const currency = plan.price.currency;
  const usable = CHOICES.filter((option) => unavailableReason(option.value, currency) === null);
  const chosen = choice ?? usable[0]?.value ?? null;
  // The quantity is asked for seat-based plans, and shown whenever the app that sent the buyer set one.
  const seats = isSeatBased(plan) || (initialQuantity ?? 1) > 1;
  const count = Number.parseInt(quantity, 10);
  const estimate = Number.isSafeInteger(count) && count > 0 ? periodAmount(plan, count) : null;

  async function submit(form: FormData) {
    if (!chosen) return;
    const typedPhone = textOf(form, 'phone');
    const phone = chosen === 'MPESA' ? mpesaPhone(typedPhone) : null;
    if (chosen === 'MPESA' && !phone) {
      setPhoneError(`${typedPhone ? 'Not an M-Pesa number.' : 'Enter the number to prompt.'} ${MPESA_PHONE_RULE}`);
      return;
    }
    setPhoneError(null);
    const coupon = textOf(form, 'coupon');
    const answer = await subscribe({
      input: {
        customerId: customer.id,
        planId: plan.id,
        quantity: seats ? count : undefined,
        couponCode: coupon || undefined,
        paymentMethod: chosen === 'MPESA' ? { provider: 'MPESA', phone } : { provider: 'PAYPAL' },
        idempotencyKey,
      },
    });
    const subscription = answer.data?.subscribe;
    if (subscription) {
      onSubscribed({
        subscriptionId: subscription.id,
        phone: phone ?? undefined,
        paypal: subscription.paymentProvider === 'PAYPAL',
      });
    }
  }

  return (
    <>
      <Stack gap="xs">
        <Title order={2} size="h3">
          {plan.product.name}
        </Title>
        <PlanDetails plan={plan} locale={locale} />
      </Stack>
      {usable.length === 0 ? (
        <Alert color="orange" title="This plan cannot be paid online here">
          Neither M-Pesa (KES only) nor PayPal takes {currency}. Contact support to subscribe.
        </Alert>
      ) : (
        <Form onSubmit={submit} message={errors.message} submitLabel="Subscribe" busy={result.fetching}>
          {seats && (
            <QuantityField
              value={quantity}
              onChange={setQuantity}
              description={
                estimate !== null
                  ? `${formatMoney(estimate, currency, locale)} per period before coupons and tax`
                  : 'A whole number, 1 or more.'
              }
              error={errors.fields.quantity}
            />
          )}
          <TextInput
            label="Coupon code (optional)"
            name="coupon"
            autoCapitalize="characters"
            autoComplete="off"
            defaultValue={initialCoupon ?? ''}
            error={errors.fields.couponCode}
          />
          <Radio.Group
            label="How do you want to pay?"
            name="provider"
            value={chosen ?? ''}
            onChange={(value) => setChoice(value as PaymentChoice)}
            error={errors.fields.paymentMethod}
          >
            <Stack gap="xs" mt="xs">
              {CHOICES.map((option) => {
                const reason = unavailableReason(option.value, currency);
                return (
                  <Radio
                    key={option.value}
                    value={option.value}
                    label={option.label}
                    disabled={reason !== null}
                    description={reason ?? undefined}
                  />
                );
              })}
            </Stack>
          </Radio.Group>
          {chosen === 'MPESA' && (
            <MpesaPhoneField
              defaultValue={customer.phone ?? ''}
              required
              error={phoneError ?? errors.fields['paymentMethod.phone']}
            />
          )}
          {chosen === 'PAYPAL' && <Text size="sm">After subscribing you approve the first payment on PayPal.</Text>}
        </Form>
      )}
    </>
  );
}
