// Client apps: each app's scopes, return origins and API keys (prefix, created, last used, revoked), "Create key"
// (the key is shown once, here, and never again: only its digest is stored) and "Revoke"; and "New app".
import { Alert, Button, Card, Checkbox, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { formErrors } from '../../api/errors';
import { FormMessage } from '../../components/FormMessage';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { AdminAppsQuery } from '../../graphql/graphql';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { moment } from '../components/money';
import { Section } from '../components/Section';

const AppsQuery = graphql(`
  query AdminApps {
    apiClients {
      id
      name
      scopes
      returnOrigins
      createdAt
      disabledAt
      keys {
        id
        name
        prefix
        createdAt
        lastUsedAt
        revokedAt
      }
    }
  }
`);

const CreateAppMutation = graphql(`
  mutation AdminCreateApp($input: CreateApiClientInput!) {
    createApiClient(input: $input) {
      id
    }
  }
`);

const CreateKeyMutation = graphql(`
  mutation AdminCreateKey($apiClientId: ID!, $name: String!) {
    createApiKey(apiClientId: $apiClientId, name: $name) {
      key
      apiKey {
        id
        prefix
      }
    }
  }
`);

const RevokeKeyMutation = graphql(`
  mutation AdminRevokeKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

// What the console offers an app: SCOPES of src/kernel/caller.ts (which the web app may not import, and the kernel
// imports nothing) less the operator-level read:audit and admin. The API checks every scope it is sent.
const CLIENT_APP_SCOPES = [
  'read:customers',
  'write:customers',
  'read:plans',
  'write:plans',
  'read:subscriptions',
  'write:subscriptions',
  'read:invoices',
  'write:invoices',
  'read:coupons',
  'write:coupons',
  'read:reports',
];

type App = AdminAppsQuery['apiClients'][number];

export default function AppsPage() {
  const [result, refetch] = useQuery({ query: AppsQuery });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <Page title="Client apps">
      <QueryState fetching={result.fetching && !result.data} error={result.error} what="client apps" />
      {result.data?.apiClients.length === 0 && <Text>No apps yet.</Text>}
      {result.data?.apiClients.map((app) => (
        <AppCard key={app.id} app={app} onChanged={reload} />
      ))}
      <Section title="New app">
        <AppForm onCreated={reload} />
      </Section>
    </Page>
  );
}

function AppCard({ app, onChanged }: { app: App; onChanged: () => void }) {
  const [keyName, setKeyName] = useState('default');
  const [shown, setShown] = useState<string | null>(null);
  const [createResult, createKey] = useMutation(CreateKeyMutation);
  const [revokeResult, revokeKey] = useMutation(RevokeKeyMutation);
  const error = formErrors(createResult.error ?? revokeResult.error).message;
  const headingId = `app-${app.id}`;
  return (
    <Card withBorder component="article" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Title order={2} size="h3" id={headingId}>
          {app.name}
        </Title>
        <Text size="sm">
          Id <Code>{app.id}</Code> · created {moment(app.createdAt)}
          {app.disabledAt ? ` · disabled ${moment(app.disabledAt)}` : ''}
        </Text>
        <Text size="sm">Scopes: {app.scopes.join(', ') || 'none'}</Text>
        <Text size="sm">Return origins: {app.returnOrigins.join(', ') || 'none'}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {shown && (
          <Card withBorder padding="sm" role="status">
            <Text fw={700}>New API key: copy it now, it is not shown again</Text>
            <Code block className="admin-wrap-code" data-testid="new-api-key">
              {shown}
            </Code>
          </Card>
        )}
        <DataTable
          caption={`API keys of ${app.name}`}
          empty="No keys yet."
          rows={app.keys}
          columns={[
            { key: 'name', label: 'Key', render: (row) => `${row.name} (${row.prefix}…)` },
            { key: 'created', label: 'Created', render: (row) => moment(row.createdAt) },
            { key: 'used', label: 'Last used', render: (row) => (row.lastUsedAt ? moment(row.lastUsedAt) : 'never') },
            {
              key: 'state',
              label: 'State',
              render: (row) =>
                row.revokedAt ? (
                  `revoked ${moment(row.revokedAt)}`
                ) : (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    c="red.9"
                    aria-label={`Revoke key ${row.name} (${row.prefix})`}
                    onClick={() => void revokeKey({ id: row.id }).then(onChanged)}
                  >
                    Revoke
                  </Button>
                ),
            },
          ]}
        />
        <Group align="flex-end" gap="sm">
          <TextInput
            label={`New key name for ${app.name}`}
            value={keyName}
            onChange={(event) => setKeyName(event.currentTarget.value)}
          />
          <Button
            loading={createResult.fetching}
            disabled={createResult.fetching}
            onClick={() =>
              void createKey({ apiClientId: app.id, name: keyName.trim() || 'default' }).then((answer) => {
                if (answer.data) {
                  setShown(answer.data.createApiKey.key);
                  onChanged();
                }
              })
            }
          >
            Create key
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function AppForm({ onCreated }: { onCreated: () => void }) {
  const [result, createApp] = useMutation(CreateAppMutation);
  const errors = formErrors(result.error, ['name', 'scopes', 'returnOrigins']);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const origins = String(form.get('returnOrigins') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    const answer = await createApp({
      input: {
        name: String(form.get('name') ?? '').trim(),
        scopes: form.getAll('scopes').map(String),
        returnOrigins: origins,
      },
    });
    if (answer.data) {
      element.reset();
      onCreated();
    }
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm" maw={560}>
        <FormMessage message={errors.message} />
        <TextInput name="name" label="App name" required error={errors.fields.name} />
        <Checkbox.Group label="Scopes" error={errors.fields.scopes}>
          <Group gap="sm" mt={4}>
            {CLIENT_APP_SCOPES.map((scope) => (
              <Checkbox key={scope} name="scopes" value={scope} label={scope} />
            ))}
          </Group>
        </Checkbox.Group>
        <TextInput
          name="returnOrigins"
          label="Return origins"
          description="Where hosted pages may send customers back, e.g. https://app.example.com (space separated)"
          error={errors.fields.returnOrigins}
        />
        <Button type="submit" loading={result.fetching} disabled={result.fetching}>
          Create app
        </Button>
      </Stack>
    </form>
  );
}
