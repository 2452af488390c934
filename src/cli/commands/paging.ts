import type { Command } from 'commander';
import { contextOf, given, integer } from '../context.js';
import { printRows, type Column } from '../output.js';

export interface PageOptions {
  first?: number;
  after?: string;
}

interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

/** `--first` and `--after`, mapped to the API's cursor paging. */
export function withPaging(command: Command): Command {
  return command
    .option('--first <n>', 'how many (the API caps it at 100)', integer('--first'), 20)
    .option('--after <cursor>', 'the cursor printed under the previous page');
}

export function pageVariables(options: PageOptions) {
  return { first: options.first, after: options.after };
}

/** The rows of a page and, on stderr so that piped output stays clean, where the next page starts. */
export function rowsOf<T>(connection: Connection<T>): T[] {
  if (connection.pageInfo.hasNextPage && connection.pageInfo.endCursor) {
    const total = connection.totalCount === undefined ? '' : ` of ${connection.totalCount}`;
    process.stderr.write(
      `${connection.edges.length}${total} shown; next page: --after ${connection.pageInfo.endCursor}\n`,
    );
  }
  return connection.edges.map((edge) => edge.node);
}

export interface ListSpec<T> {
  /** The query field, e.g. `customers`, and its filter's input type, e.g. `CustomerFilter`. */
  field: string;
  filterType: string;
  /** The node's fields to ask for. */
  fields: string;
  columns: Column<T>[];
  /** The API's filter from the command's options; options not given are left out. */
  filter: (options: Record<string, string | undefined>) => Record<string, string | undefined>;
}

/** The action of a `list` command: one page of a connection, filtered, as rows. */
export function listAction<T>(spec: ListSpec<T>) {
  return async (options: PageOptions & Record<string, string | undefined>, command: Command) => {
    const { client, format } = await contextOf(command);
    const data = await client.request<Record<string, Connection<T>>>(
      `query ($filter: ${spec.filterType}, $first: Int, $after: String) {
        ${spec.field}(filter: $filter, first: $first, after: $after) {
          edges { node { ${spec.fields} } } pageInfo { hasNextPage endCursor } totalCount
        }
      }`,
      { filter: given(spec.filter(options)), ...pageVariables(options) },
    );
    printRows(rowsOf(data[spec.field]!), spec.columns, format);
  };
}
