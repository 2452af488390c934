// A list as a table: column headers that sort (a button in the header, aria-sort on it), rows that link to their
// detail pages, and a wrapper that scrolls sideways on a phone instead of widening the page (focusable, so a
// keyboard can scroll it too). Sorting is asked of the API with the list's query; the table only shows the state.
import { Table, Text, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ListParams } from './listParams';

export interface Column<Row> {
  key: string;
  label: string;
  /** The API's sort field for this column; absent: not sortable. */
  sort?: string;
  align?: 'left' | 'right';
  render: (row: Row) => ReactNode;
}

export function DataTable<Row extends { id: string }>({
  caption,
  columns,
  rows,
  list,
  empty = 'Nothing matches.',
}: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  list?: ListParams;
  empty?: string;
}) {
  if (rows.length === 0) return <Text>{empty}</Text>;
  return (
    <div className="admin-table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <Table striped highlightOnHover verticalSpacing="xs" miw={560}>
        <caption className="visually-hidden">{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <HeaderCell key={column.key} column={column} list={list} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              {columns.map((column) => (
                <Table.Td key={column.key} ta={column.align}>
                  {column.render(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function HeaderCell<Row>({ column, list }: { column: Column<Row>; list?: ListParams }) {
  if (!column.sort || !list) {
    return (
      <Table.Th scope="col" ta={column.align}>
        {column.label}
      </Table.Th>
    );
  }
  const active = list.sort?.field === column.sort;
  const direction = active ? list.sort!.direction : null;
  return (
    <Table.Th
      scope="col"
      ta={column.align}
      aria-sort={direction === 'ASC' ? 'ascending' : direction === 'DESC' ? 'descending' : undefined}
    >
      <UnstyledButton fw={700} fz="sm" onClick={() => list.sortBy(column.sort!)}>
        {column.label} <span aria-hidden="true">{direction === 'ASC' ? '▲' : direction === 'DESC' ? '▼' : '↕'}</span>
        <span className="visually-hidden">
          {direction === 'ASC' ? ', sorted ascending' : direction === 'DESC' ? ', sorted descending' : ', sort'}
        </span>
      </UnstyledButton>
    </Table.Th>
  );
}
