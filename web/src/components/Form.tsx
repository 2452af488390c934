// The portal's forms: the fields, an error that belongs to no field above them, and one submit button that is
// disabled while the request is in flight (a second click sends nothing).
import { Button, Stack, TextInput } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { FormMessage } from './FormMessage';

export function Form({
  onSubmit,
  message,
  submitLabel,
  busy,
  children,
  maw = 420,
}: {
  onSubmit: (form: FormData) => void | Promise<void>;
  message: string | null;
  submitLabel: string;
  busy: boolean;
  children: ReactNode;
  maw?: number;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!busy) void onSubmit(new FormData(event.currentTarget));
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={maw}>
        <FormMessage message={message} />
        {children}
        <Button type="submit" loading={busy} disabled={busy}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}

export function EmailField({ error, autoComplete = 'email' }: { error?: string; autoComplete?: string }) {
  return <TextInput label="Email" name="email" type="email" autoComplete={autoComplete} required error={error} />;
}

export function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
