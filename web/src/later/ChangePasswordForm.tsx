// LATER: needs changePassword(input: { currentPassword, newPassword }) in schema.graphql. Move to src/pages/ (or
// src/components/), run `npm run web:codegen`, and render it in ProfilePage's "Password" section.
import { PasswordInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../api/errors';
import { Form } from '../components/Form';
import { graphql } from '../graphql';

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input)
  }
`);

export function ChangePasswordForm() {
  const [result, changePassword] = useMutation(ChangePasswordMutation);
  const [saved, setSaved] = useState(false);
  const errors = formErrors(result.error, ['currentPassword', 'newPassword']);
  return (
    <Form
      submitLabel="Change password"
      busy={result.fetching}
      message={saved ? 'Your password is changed.' : errors.message}
      onSubmit={async (form) => {
        const answer = await changePassword({
          input: { currentPassword: String(form.get('currentPassword')), newPassword: String(form.get('newPassword')) },
        });
        setSaved(!answer.error);
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
  );
}
