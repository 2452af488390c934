// "Export CSV": every row the list's filters match (not only this page), in its sort, as the API streams it from
// GET /admin/export/<list>.csv (docs/admin-api.md). The route wants the access token in the Authorization header,
// like /graphql, so the file is fetched here and handed to the browser as a download.
import { Alert, Button, Group } from '@mantine/core';
import { useState } from 'react';
import { currentAccessToken, refreshSession } from '../../auth/session';

export type ExportList = 'customers' | 'subscriptions' | 'invoices' | 'payments';

/** The list's GraphQL filter and sort as the route's query string: the same names, lists comma-separated. */
export function exportQuery(arguments_: Record<string, unknown>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(arguments_)) {
    if (value === undefined || value === null || value === '') continue;
    query.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return query;
}

export function ExportLink({
  list,
  filter,
  sort,
}: {
  list: ExportList;
  filter: Record<string, unknown>;
  sort: { sort?: string; direction?: string };
}) {
  const [state, setState] = useState<'idle' | 'busy' | string>('idle');
  async function download() {
    setState('busy');
    const token = currentAccessToken() ?? ((await refreshSession()) ? currentAccessToken() : null);
    const response = await fetch(`/admin/export/${list}.csv?${exportQuery({ ...filter, ...sort }).toString()}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }).catch(() => null);
    if (!response?.ok) {
      const body = (await response?.json().catch(() => null)) as { error?: string } | null;
      setState(body?.error ?? 'The export could not be made. Try again.');
      return;
    }
    const blob = await response.blob();
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${list}.csv`;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    setState('idle');
  }
  return (
    <Group gap="sm">
      <Button variant="default" loading={state === 'busy'} onClick={() => void download()}>
        Export CSV
      </Button>
      {state !== 'idle' && state !== 'busy' && (
        <Alert color="red" role="alert" py={4}>
          {state}
        </Alert>
      )}
    </Group>
  );
}
