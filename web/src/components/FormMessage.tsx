import { Alert } from '@mantine/core';

/** An error that belongs to no one field, announced when it appears. */
export function FormMessage({ message, title = 'That did not work' }: { message: string | null; title?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" title={title} role="alert">
      {message}
    </Alert>
  );
}
