import { Anchor, PasswordInput, Text } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { LoginMutation } from '../../auth/operations';
import { startSession } from '../../auth/session';
import { EmailField, Form, textOf } from '../../components/Form';
import { Page } from '../../components/Page';

/** Only a path on this site: `next` comes from the address bar. Without one, administrators go to the console. */
function safeNext(next: string | null, role: string): string {
  if (next && next.startsWith('/') && !next.startsWith('//')) return next;
  return role === 'ADMIN' ? '/admin' : '/';
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [result, login] = useMutation(LoginMutation);
  const errors = formErrors(result.error, ['email', 'password']);

  async function submit(form: FormData) {
    const answer = await login({ input: { email: textOf(form, 'email'), password: String(form.get('password')) } });
    if (answer.data) {
      startSession(answer.data.login);
      void navigate(safeNext(params.get('next'), answer.data.login.user.role), { replace: true });
    }
  }

  return (
    <Page title="Log in">
      <Form onSubmit={submit} message={errors.message} submitLabel="Log in" busy={result.fetching}>
        <EmailField autoComplete="username" error={errors.fields.email} />
        <PasswordInput
          label="Password"
          name="password"
          autoComplete="current-password"
          required
          error={errors.fields.password}
        />
      </Form>
      <Anchor component={Link} to="/forgot-password" size="sm">
        Forgot password?
      </Anchor>
      <Text size="sm">
        New here?{' '}
        <Anchor component={Link} to="/signup">
          Sign up
        </Anchor>
      </Text>
    </Page>
  );
}
