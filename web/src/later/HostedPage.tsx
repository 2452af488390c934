// LATER: needs redeemHostedSession(token) in schema.graphql. Move to src/pages/, run `npm run web:codegen`, and add
// { path: 'hosted/:token', lazy: page(() => import('../pages/HostedPage')) } to src/app/router.tsx outside
// RequireSession. The session it starts is the one customer's short-lived access token (no refresh token: when it
// expires the buyer goes back to the app), so startSession needs a variant without one.
import { Alert, Anchor, Loader, Stack } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useParams } from 'react-router';
import { useMutation } from 'urql';
import { formErrors } from '../api/errors';
import { Page } from '../components/Page';
import { graphql } from '../graphql';

const RedeemHostedSessionMutation = graphql(`
  mutation RedeemHostedSession($token: String!) {
    redeemHostedSession(token: $token) {
      accessToken
      accessTokenExpiresAt
      kind
      appName
      planId
      successUrl
      cancelUrl
      returnUrl
    }
  }
`);

export default function HostedPage() {
  const { token = '' } = useParams();
  const [result, redeem] = useMutation(RedeemHostedSessionMutation);
  const sent = useRef(false);
  const [back, setBack] = useState<{ url: string; appName: string } | null>(null);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    void redeem({ token }).then((answer) => {
      const session = answer.data?.redeemHostedSession;
      if (!session) return;
      // startHostedSession(session.accessToken, session.accessTokenExpiresAt) — see the header.
      const url = session.kind === 'CHECKOUT' ? session.cancelUrl : session.returnUrl;
      if (url) setBack({ url, appName: session.appName });
    });
  }, [token, redeem]);

  const session = result.data?.redeemHostedSession;
  if (result.error) {
    return (
      <Page title="This link has expired">
        <Alert color="red">{formErrors(result.error).message}</Alert>
      </Page>
    );
  }
  if (!session) {
    return (
      <Page title="Opening…">
        <Loader aria-label="Opening" />
      </Page>
    );
  }
  return (
    <Stack>
      {back && <Anchor href={back.url}>Back to {back.appName}</Anchor>}
      <Navigate replace to={session.kind === 'CHECKOUT' ? `/subscribe/${session.planId}` : '/'} />
    </Stack>
  );
}
