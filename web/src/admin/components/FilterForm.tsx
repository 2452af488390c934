// A list's search and filters as one form (role="search"): the fields start from the URL, and "Apply" writes them
// back (which starts from the first page). Enter in any field applies too.
import { Button, Group } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import type { ListParams } from './listParams';

export function FilterForm({
  list,
  names,
  label,
  children,
}: {
  list: ListParams;
  /** The fields' names, which are also their URL parameters. */
  names: string[];
  label: string;
  children: ReactNode;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    list.set(Object.fromEntries(names.map((name) => [name, String(form.get(name) ?? '').trim()])));
  }
  return (
    // Keyed by the URL: Back, Clear or a link changes the filters, and the fields show them again.
    <form key={list.filterQuery().toString()} role="search" aria-label={label} onSubmit={submit}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        {children}
        <Button type="submit">Apply</Button>
        <Button variant="subtle" type="reset" onClick={() => list.set(Object.fromEntries(names.map((n) => [n, ''])))}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
