import { Text } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { RequestPasswordResetMutation } from '../../auth/operations';
import { DonePage } from '../../components/DonePage';
import { EmailField, Form, textOf } from '../../components/Form';
import { Page } from '../../components/Page';

export default function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const [result, requestReset] = useMutation(RequestPasswordResetMutation);
  const errors = formErrors(result.error, ['email']);

  async function submit(form: FormData) {
    const answer = await requestReset({ email: textOf(form, 'email') });
    if (answer.data) setSent(true);
  }

  if (sent) {
    return (
      <DonePage title="Check your email">
        If that address has an account, we sent it a link to choose a new password. The link works once.
      </DonePage>
    );
  }
  return (
    <Page title="Forgot password">
      <Text>Enter your email and we will send you a link to choose a new password.</Text>
      <Form onSubmit={submit} message={errors.message} submitLabel="Send reset link" busy={result.fetching}>
        <EmailField error={errors.fields.email} />
      </Form>
    </Page>
  );
}
