// Hosted checkout and portal (docs/hosted-pages.md): an app sends its customer to /hosted/<token>. The page
// redeems the token once (a second redeem of the single-use link would be refused, so React StrictMode's second
// effect shares the first one's request), keeps the answered short-lived access token as this tab's session
// (src/auth/session.ts: no refresh token, it ends at accessTokenExpiresAt) and replaces the URL, so the token is
// not left in the address bar or history. A checkout then shows on /hosted; a portal is the ordinary dashboard,
// subscription and invoice pages within the hosted session (the header's "Back to <app>" replaces "Log out").
import { Anchor, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate, useParams } from 'react-router';
import type { CombinedError } from 'urql';
import { anonymousClient } from '../api/anonymousClient';
import { formErrors } from '../api/errors';
import { hostedBackUrl, SessionEnded } from '../app/SessionEnded';
import { RedeemHostedSessionMutation } from '../auth/operations';
import { startHostedSession, updateHostedContext, useSession, type HostedContext } from '../auth/session';
import { Checkout, type Subscribed } from '../billing/Checkout';
import { PaymentStatus, type PaymentPhase } from '../billing/PaymentStatus';
import { Page } from '../components/Page';
import { usableLocale } from '../lib/format';

type Outcome =
  | { ok: true; kind: 'CHECKOUT' | 'PORTAL' }
  /** `final`: the link is spent or refused (the URL can go); otherwise (no answer) reloading may work. */
  | { ok: false; message: string; final: boolean };

// One redeem per token for the life of the page, whatever mounts and effects React runs.
const redeeming = new Map<string, Promise<Outcome>>();

function refusal(error: CombinedError | undefined): Outcome {
  if (!error || error.networkError) return { ok: false, message: formErrors(error).message ?? '', final: false };
  for (const graphQLError of error.graphQLErrors) {
    const fields = (graphQLError.extensions as { fields?: Record<string, string> }).fields;
    if (fields?.token) return { ok: false, message: `This link ${fields.token}.`, final: true };
  }
  return { ok: false, message: formErrors(error).message ?? 'This link is not valid.', final: true };
}

function redeemOnce(token: string): Promise<Outcome> {
  let pending = redeeming.get(token);
  if (!pending) {
    pending = anonymousClient()
      .mutation(RedeemHostedSessionMutation, { token })
      .toPromise()
      .then((result): Outcome => {
        const answer = result.data?.redeemHostedSession;
        if (!answer) return refusal(result.error);
        startHostedSession(answer);
        return { ok: true, kind: answer.kind };
      });
    redeeming.set(token, pending);
  }
  return pending;
}

export default function HostedPage() {
  const { token } = useParams();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    let current = true;
    void redeemOnce(token).then((outcome) => {
      if (!current) return;
      if (outcome.ok) navigate(outcome.kind === 'CHECKOUT' ? '/hosted' : '/', { replace: true });
      else if (outcome.final) navigate('/hosted', { replace: true, state: { problem: outcome.message } });
      else setProblem(`${outcome.message} Reload this page to try again.`);
    });
    return () => {
      current = false;
    };
  }, [token, navigate]);

  const refused = (location.state as { problem?: string } | null)?.problem;
  if (problem || refused) return <LinkProblem message={problem ?? refused ?? ''} />;
  if (token) {
    return (
      <Page title="Opening the page…">
        <Loader role="status" aria-label="Opening the page" />
      </Page>
    );
  }
  if (session.hosted && session.status === 'ended') return <SessionEnded hosted={session.hosted} />;
  if (session.hosted?.kind === 'CHECKOUT' && session.status === 'signedIn') {
    return <HostedCheckout hosted={session.hosted} />;
  }
  if (session.hosted?.kind === 'PORTAL' && session.status === 'signedIn') return <Navigate replace to="/" />;
  return <LinkProblem message="This link is not valid." />;
}

function LinkProblem({ message }: { message: string }) {
  return (
    <Page title="This link cannot be used">
      <Text>{message} Go back to the app that sent you here and open the page again for a new link.</Text>
    </Page>
  );
}

function HostedCheckout({ hosted }: { hosted: HostedContext }) {
  const locale = usableLocale(hosted.customer.locale);
  // What this visit knows beyond the stored context: the number prompted, and whether to go to PayPal at once.
  const [sent, setSent] = useState<Subscribed | null>(null);
  const [phase, setPhase] = useState<PaymentPhase | null>(null);
  const plan = hosted.plan;
  if (!plan) return <LinkProblem message="This link is not valid." />;
  const paid = phase === 'received' || phase === 'trial' || phase === 'none';
  const back = hostedBackUrl(hosted, paid);
  return (
    <Page title={plan.name}>
      {hosted.subscriptionId ? (
        <PaymentStatus
          subscriptionId={hosted.subscriptionId}
          phone={sent?.phone}
          locale={locale}
          redirectToPaypal={sent?.paypal ?? false}
          onPhase={setPhase}
        />
      ) : (
        <Checkout
          plan={plan}
          customer={hosted.customer}
          locale={locale}
          initialQuantity={hosted.quantity}
          initialCoupon={hosted.couponCode}
          onSubscribed={(subscribed) => {
            setSent(subscribed);
            updateHostedContext({ subscriptionId: subscribed.subscriptionId });
          }}
        />
      )}
      {back &&
        (paid ? (
          <Anchor href={back} fw={600}>
            Back to {hosted.appName}
          </Anchor>
        ) : (
          <Anchor href={back}>Cancel and return to {hosted.appName}</Anchor>
        ))}
    </Page>
  );
}
