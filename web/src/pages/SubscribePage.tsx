// Subscribe to a plan: quantity (seat-based plans), coupon, and a way to pay the plan's currency can take. After
// subscribing, the page follows the first payment live (M-Pesa), or sends the buyer to PayPal to approve it.
import { Alert, Anchor, Loader, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { MPESA_PHONE_RULE, mpesaPhone } from '../billing/mpesa';
import { MpesaPhoneField } from '../billing/MpesaPhoneField';
import { PaymentStatus } from '../billing/PaymentStatus';
import { PlanDetails } from '../billing/PlanDetails';
import { QuantityField } from '../billing/QuantityField';
import { isSeatBased, periodAmount, unavailableReason, type PaymentChoice } from '../billing/plans';
import { Form, textOf } from '../components/Form';
import { Page } from '../components/Page';
import { useCustomer } from '../components/useCustomer';
import { graphql } from '../graphql';
import { formatMoney } from '../lib/format';
import { newIdempotencyKey } from '../lib/ids';

const SubscribePlanQuery = graphql(`
  query SubscribePlan($id: ID!) {
    plan(id: $id) {
      ...PlanFields
    }
    me {
      id
      customer {
        id
        phone
      }
    }
  }
`);

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

export default function SubscribePage() {
  const { planId = '' } = useParams();
  const { locale } = useCustomer();
  const [query] = useQuery({ query: SubscribePlanQuery, variables: { id: planId } });
  const [result, subscribe] = useMutation(SubscribeMutation);
  // One key per visit: a retried submission (a lost answer) returns the same subscription instead of a second one.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [choice, setChoice] = useState<PaymentChoice | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [phoneError, setPhoneError] = useState<string | null>(null);
  const [sentPhone, setSentPhone] = useState<string | undefined>();

  const plan = query.data?.plan;
  const customer = query.data?.me.customer;
  const errors = formErrors(result.error, ['quantity', 'couponCode', 'paymentMethod.phone', 'paymentMethod']);

  if (query.fetching && !query.data) {
    return (
      <Page title="Subscribe">
        <Loader aria-label="Loading the plan" />
      </Page>
    );
  }
  if (!plan || !customer) {
    return (
      <Page title="Subscribe">
        <Alert color="red">{formErrors(query.error).message ?? 'You cannot subscribe from this account.'}</Alert>
        <Anchor component={Link} to="/plans">
          See the plans
        </Anchor>
      </Page>
    );
  }

  const subscription = result.data?.subscribe;
  if (subscription) {
    return (
      <Page title={`Subscribed to ${plan.name}`}>
        <PaymentStatus
          subscriptionId={subscription.id}
          phone={sentPhone}
          locale={locale}
          redirectToPaypal={subscription.paymentProvider === 'PAYPAL'}
        />
        <Anchor component={Link} to={`/subscriptions/${subscription.id}`}>
          See your subscription
        </Anchor>
      </Page>
    );
  }

  const currency = plan.price.currency;
  const usable = CHOICES.filter((option) => unavailableReason(option.value, currency) === null);
  const chosen = choice ?? usable[0]?.value ?? null;
  const seats = isSeatBased(plan);
  const count = Number.parseInt(quantity, 10);
  const estimate = Number.isSafeInteger(count) && count > 0 ? periodAmount(plan, count) : null;

  async function submit(form: FormData) {
    if (!plan || !customer || !chosen) return;
    const typedPhone = textOf(form, 'phone');
    const phone = chosen === 'MPESA' ? mpesaPhone(typedPhone) : null;
    if (chosen === 'MPESA' && !phone) {
      setPhoneError(`${typedPhone ? 'Not an M-Pesa number.' : 'Enter the number to prompt.'} ${MPESA_PHONE_RULE}`);
      return;
    }
    setPhoneError(null);
    setSentPhone(phone ?? undefined);
    const coupon = textOf(form, 'coupon');
    await subscribe({
      input: {
        customerId: customer.id,
        planId: plan.id,
        quantity: seats ? count : undefined,
        couponCode: coupon || undefined,
        paymentMethod: chosen === 'MPESA' ? { provider: 'MPESA', phone } : { provider: 'PAYPAL' },
        idempotencyKey,
      },
    });
  }

  return (
    <Page title={`Subscribe to ${plan.name}`}>
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
    </Page>
  );
}
