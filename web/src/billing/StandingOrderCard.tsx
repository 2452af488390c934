// Paying a KES subscription by M-Pesa Ratiba (docs/ratiba.md): the customer asks for a standing order here, approves
// it on their phone with their PIN, and from the next period on nothing is asked of them. While the phone is being
// asked the card looks again every few seconds; the answer comes from M-Pesa, not from this page.
import { Alert, Button, Card, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../api/errors';
import { formatDate, formatMoney } from '../lib/format';
import { RequestStandingOrderMutation } from './lifecycleOperations';

export interface StandingOrderView {
  status: 'PENDING_APPROVAL' | 'ACTIVE' | 'DECLINED' | 'LAPSED' | 'CANCELLED';
  startDate: string;
  failureMessage?: string | null;
  amount: { amount: number; currency: string };
}

const LOOK_AGAIN_MS = 3_000;

function statusText(order: StandingOrderView, locale: string): string {
  const amount = formatMoney(order.amount.amount, order.amount.currency, locale);
  switch (order.status) {
    case 'PENDING_APPROVAL':
      return `Check your phone: approve the standing order of ${amount} with your M-Pesa PIN.`;
    case 'ACTIVE':
      return `M-Pesa pays ${amount} each period by itself, from ${formatDate(order.startDate, locale)}. No prompts to answer.`;
    case 'DECLINED':
      return 'The standing order was not approved on your phone.';
    case 'LAPSED':
      return 'A period went unpaid by your standing order (was it cancelled on your phone?). You will be prompted again.';
    case 'CANCELLED':
      return 'Your standing order was cancelled.';
  }
}

export function StandingOrderCard(props: {
  subscriptionId: string;
  order: StandingOrderView | null;
  locale: string;
  reload: () => void;
}) {
  const { order, locale, reload } = props;
  const [result, request] = useMutation(RequestStandingOrderMutation);
  const waiting = order?.status === 'PENDING_APPROVAL';
  // The page's reload is a new function each render: the timer calls the latest one and lives as long as the wait.
  const latestReload = useRef(reload);
  latestReload.current = reload;
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setInterval(() => latestReload.current(), LOOK_AGAIN_MS);
    return () => clearInterval(timer);
  }, [waiting]);
  const live = order?.status === 'ACTIVE' || waiting;
  const error = formErrors(result.error, ['subscriptionId']);
  return (
    <Card withBorder component="section" aria-labelledby="standing-order-heading">
      <Stack gap="xs">
        <Title order={2} size="h3" id="standing-order-heading">
          Pay automatically with M-Pesa
        </Title>
        <Text role="status">
          {order
            ? statusText(order, locale)
            : 'Approve a standing order once (M-Pesa Ratiba) and each period is paid without a prompt.'}
        </Text>
        {(error.message ?? error.fields.subscriptionId) && (
          <Alert color="red">{error.message ?? error.fields.subscriptionId}</Alert>
        )}
        {!live && (
          <Button
            loading={result.fetching}
            onClick={() =>
              void request({ input: { subscriptionId: props.subscriptionId } }).then((answer) => {
                if (!answer.error) reload();
              })
            }
          >
            Set up a standing order
          </Button>
        )}
      </Stack>
    </Card>
  );
}
