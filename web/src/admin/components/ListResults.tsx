// What every list page shows under its filters: loading or the API's refusal, how many rows match, "Export CSV"
// of all of them, the page of rows as a sortable table, and the pager.
import type { CombinedError } from 'urql';
import { DataTable, type Column } from './DataTable';
import { ExportLink, type ExportList } from './ExportLink';
import type { ListParams } from './listParams';
import { QueryState } from './Loading';
import { Pager } from './Pager';
import { ResultCount } from './ResultCount';

export interface Connection<Row> {
  /** Asked for only when a filter narrows the list. */
  totalCount?: number | null;
  edges: { node: Row }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export function ListResults<Row extends { id: string }>({
  exportAs,
  noun,
  list,
  result,
  connection,
  columns,
  filter,
  sort,
}: {
  exportAs: ExportList;
  /** One row, in words ("invoice"). */
  noun: string;
  list: ListParams;
  result: { fetching: boolean; error?: CombinedError };
  connection: Connection<Row> | undefined;
  columns: Column<Row>[];
  filter: Record<string, unknown>;
  sort: { sort?: string; direction?: string };
}) {
  return (
    <>
      <QueryState fetching={result.fetching && !connection} error={result.error} what={`${noun}s`} />
      <ResultCount count={connection?.totalCount ?? undefined} noun={noun} />
      <ExportLink list={exportAs} filter={filter} sort={sort} />
      {connection && (
        <DataTable
          caption={`${noun[0]!.toUpperCase()}${noun.slice(1)}s`}
          columns={columns}
          rows={connection.edges.map((edge) => edge.node)}
          list={list}
        />
      )}
      <Pager list={list} pageInfo={connection?.pageInfo} />
    </>
  );
}
