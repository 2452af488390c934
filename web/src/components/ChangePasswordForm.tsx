// Change the password while signed in: the API checks the current one, signs out every other session and answers
// with a new session for this device, which replaces the stored one (the old refresh token no longer works).
import { Alert, PasswordInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../api/errors';
import { startSession } from '../auth/session';
import { graphql } from '../graphql';
import { Form } from './Form';

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      ...SessionFields
    }
  }
`);

export function ChangePasswordForm() {
  const [result, changePassword] = useMutation(ChangePasswordMutation);
  const [saved, setSaved] = useState(false);
  // The form is cleared after a change: a key per success remounts its inputs.
  const [round, setRound] = useState(0);
  const errors = formErrors(result.error, ['currentPassword', 'newPassword']);
  return (
    <>
      {saved && (
        <Alert color="green" role="status" mb="sm">
          Password changed
        </Alert>
      )}
      <Form
        key={round}
        submitLabel="Change password"
        busy={result.fetching}
        message={errors.message}
        onSubmit={async (form) => {
          setSaved(false);
          const answer = await changePassword({
            input: {
              currentPassword: String(form.get('currentPassword') ?? ''),
              newPassword: String(form.get('newPassword') ?? ''),
            },
          });
          if (answer.data) {
            startSession(answer.data.changePassword);
            setSaved(true);
            setRound((value) => value + 1);
          }
        }}
      >
        <PasswordInput
          label="Current password"
          name="currentPassword"
          autoComplete="current-password"
          required
          error={errors.fields.currentPassword}
        />
        <PasswordInput
          label="New password"
          name="newPassword"
          autoComplete="new-password"
          description="At least 10 characters."
          required
          error={errors.fields.newPassword}
        />
      </Form>
    </>
  );
}
