// What a console page shows while its query runs or when the API refused it.
import { Alert, Loader } from '@mantine/core';
import type { CombinedError } from 'urql';
import { formErrors } from '../../api/errors';

export function QueryState({ fetching, error, what }: { fetching: boolean; error?: CombinedError; what: string }) {
  if (error) {
    return (
      <Alert color="red" role="alert">
        {formErrors(error).message}
      </Alert>
    );
  }
  return fetching ? <Loader role="status" aria-label={`Loading ${what}`} /> : null;
}
