// Relay pagination, forwards: the next page starts after the last row's cursor (kept in the URL, so Back returns
// to the page before); "First page" starts over.
import { Button, Group } from '@mantine/core';
import type { ListParams } from './listParams';

export function Pager({
  list,
  pageInfo,
}: {
  list: ListParams;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
}) {
  if (!pageInfo) return null;
  if (!list.after && !pageInfo.hasNextPage) return null;
  return (
    <Group gap="sm" component="nav" aria-label="Pages">
      <Button variant="default" disabled={!list.after} onClick={list.firstPage}>
        First page
      </Button>
      <Button
        variant="default"
        disabled={!pageInfo.hasNextPage || !pageInfo.endCursor}
        onClick={() => pageInfo.endCursor && list.nextPage(pageInfo.endCursor)}
      >
        Next page
      </Button>
    </Group>
  );
}
