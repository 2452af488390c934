import { Anchor, PasswordInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { ResetPasswordMutation } from '../../auth/operations';
import { DonePage } from '../../components/DonePage';
import { Form } from '../../components/Form';
import { FormMessage } from '../../components/FormMessage';
import { Page } from '../../components/Page';

export default function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [done, setDone] = useState(false);
  const [mismatch, setMismatch] = useState(false);
  const [result, reset] = useMutation(ResetPasswordMutation);
  const errors = formErrors(result.error, ['password', 'token']);

  async function submit(form: FormData) {
    const password = String(form.get('password') ?? '');
    const repeated = String(form.get('repeat') ?? '');
    setMismatch(password !== repeated);
    if (password !== repeated) return;
    const answer = await reset({ input: { token, password } });
    if (answer.data) setDone(true);
  }

  if (done) {
    return (
      <DonePage title="Password changed">
        Your new password is set, and every other session has been signed out.
      </DonePage>
    );
  }
  return (
    <Page title="Choose a new password">
      {!token ? (
        <FormMessage message="This link has no token. Open the link from the email again, or ask for a new one." />
      ) : (
        <Form
          onSubmit={submit}
          message={errors.message ?? errors.fields.token ?? null}
          submitLabel="Set password"
          busy={result.fetching}
        >
          <PasswordInput
            label="New password"
            name="password"
            autoComplete="new-password"
            description="At least 10 characters."
            required
            error={errors.fields.password}
          />
          <PasswordInput
            label="Repeat the new password"
            name="repeat"
            autoComplete="new-password"
            required
            error={mismatch ? 'The two passwords differ' : undefined}
          />
        </Form>
      )}
      <Anchor component={Link} to="/forgot-password" size="sm">
        Ask for a new link
      </Anchor>
    </Page>
  );
}
