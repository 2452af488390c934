// Who changed what and when: the audit events of a customer or a subscription, newest first, with the changes.
import { Code } from '@mantine/core';
import { graphql } from '../../graphql';
import type { AuditEventFieldsFragment } from '../../graphql/graphql';
import { DataTable } from './DataTable';
import { moment } from './money';

export const AuditEventFields = graphql(`
  fragment AuditEventFields on AuditEvent {
    id
    createdAt
    actorType
    actorId
    action
    changes
  }
`);

export function AuditTrail({ events }: { events: readonly AuditEventFieldsFragment[] }) {
  const rows = [...events].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <DataTable
      caption="Audit trail"
      empty="No changes recorded."
      rows={rows}
      columns={[
        { key: 'when', label: 'When', render: (row) => moment(row.createdAt) },
        { key: 'action', label: 'Action', render: (row) => row.action },
        {
          key: 'who',
          label: 'By',
          render: (row) => `${row.actorType.toLowerCase()}${row.actorId ? ` ${row.actorId.slice(0, 8)}` : ''}`,
        },
        {
          key: 'changes',
          label: 'Changes',
          render: (row) => (
            <Code block className="admin-wrap-code">
              {JSON.stringify(row.changes, null, 1)}
            </Code>
          ),
        },
      ]}
    />
  );
}
