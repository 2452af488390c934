import { Anchor, PasswordInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { RegisterMutation } from '../../auth/operations';
import { DonePage } from '../../components/DonePage';
import { EmailField, Form, textOf } from '../../components/Form';
import { Page } from '../../components/Page';

export default function SignupPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [result, register] = useMutation(RegisterMutation);
  const errors = formErrors(result.error, ['name', 'email', 'password']);

  async function submit(form: FormData) {
    const input = { name: textOf(form, 'name'), email: textOf(form, 'email'), password: String(form.get('password')) };
    const answer = await register({ input });
    if (answer.data) setSentTo(answer.data.register.email);
  }

  if (sentTo) {
    return (
      <DonePage title="Check your email">
        We sent a link to <strong>{sentTo}</strong>. Open it to confirm your address, then log in.
      </DonePage>
    );
  }
  return (
    <Page title="Sign up">
      <Form onSubmit={submit} message={errors.message} submitLabel="Sign up" busy={result.fetching}>
        <TextInput label="Name" name="name" autoComplete="name" required error={errors.fields.name} />
        <EmailField error={errors.fields.email} />
        <PasswordInput
          label="Password"
          name="password"
          autoComplete="new-password"
          description="At least 10 characters."
          required
          error={errors.fields.password}
        />
      </Form>
      <Text size="sm">
        Already have an account?{' '}
        <Anchor component={Link} to="/login">
          Log in
        </Anchor>
      </Text>
    </Page>
  );
}
