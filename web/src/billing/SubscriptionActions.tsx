// The lifecycle changes a subscription allows now, as buttons with their dialogs: change plan, cancel (or undo a
// cancellation at the period end), pause, resume, and a new payment method. The portal's subscription page and the
// admin console's use the same component (and the same mutations; the API decides who may); the console adds
// "Retry payment now" before them.
import { Alert, Button, Group, Title } from '@mantine/core';
import { useId, useState, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../api/errors';
import type { SubscriptionDetailsQuery as Details } from '../graphql/graphql';
import { ResumeSubscriptionMutation, UncancelSubscriptionMutation } from './lifecycleOperations';
import { CancelDialog, ChangePlanDialog, PauseDialog, PaymentMethodDialog } from './SubscriptionDialogs';

type Dialog = 'change' | 'cancel' | 'pause' | 'method' | null;

/** Nothing is left to change once a subscription ended. */
const ENDED = new Set(['CANCELED', 'INCOMPLETE_EXPIRED']);

export function SubscriptionActions({
  subscription,
  locale,
  reload,
  title,
  before,
  error,
}: {
  subscription: Details['subscription'];
  locale: string;
  /** Queries the page again after a change. */
  reload: () => void;
  title: string;
  /** Buttons shown first (the console's "Retry payment now"). */
  before?: ReactNode;
  /** Their refusal, shown with the others'. */
  error?: string | null;
}) {
  const headingId = useId();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [uncancelResult, uncancel] = useMutation(UncancelSubscriptionMutation);
  const [resumeResult, resume] = useMutation(ResumeSubscriptionMutation);
  const quickError = error ?? formErrors(uncancelResult.error ?? resumeResult.error).message;
  const close = () => setDialog(null);
  const done = () => {
    setDialog(null);
    reload();
  };
  const dialogProps = { subscription, locale, onClose: close, onDone: done };
  if (ENDED.has(subscription.status)) return null;
  return (
    <section aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId} mb="xs">
        {title}
      </Title>
      {quickError && (
        <Alert color="red" role="alert" mb="xs">
          {quickError}
        </Alert>
      )}
      <Group gap="sm">
        {before}
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
      <ChangePlanDialog {...dialogProps} opened={dialog === 'change'} />
      <CancelDialog {...dialogProps} opened={dialog === 'cancel'} />
      <PauseDialog {...dialogProps} opened={dialog === 'pause'} />
      <PaymentMethodDialog {...dialogProps} opened={dialog === 'method'} />
    </section>
  );
}
