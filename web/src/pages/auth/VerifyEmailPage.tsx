import { Anchor, Loader } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { VerifyEmailMutation } from '../../auth/operations';
import { DonePage } from '../../components/DonePage';
import { FormMessage } from '../../components/FormMessage';
import { Page } from '../../components/Page';

export default function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [result, verify] = useMutation(VerifyEmailMutation);
  const sent = useRef(false);
  useEffect(() => {
    // Once per token: the token is single use (StrictMode runs effects twice in development).
    if (!token || sent.current) return;
    sent.current = true;
    void verify({ token });
  }, [token, verify]);

  if (!token) {
    return (
      <Page title="Confirm your email">
        <FormMessage message="This link has no token. Open the link from the email again." />
      </Page>
    );
  }
  if (result.data) {
    return <DonePage title="Email confirmed">Thank you: your email address is confirmed.</DonePage>;
  }
  if (result.error) {
    return (
      <Page title="Confirm your email">
        <FormMessage message={formErrors(result.error).message} />
        <Anchor component={Link} to="/login">
          Log in
        </Anchor>
      </Page>
    );
  }
  return (
    <Page title="Confirm your email">
      <Loader role="status" aria-label="Confirming your email" />
    </Page>
  );
}
