// "App": a filter by client app, from the apps the console knows (administrators see them all).
import { NativeSelect } from '@mantine/core';
import { useQuery } from 'urql';
import { graphql } from '../../graphql';

const AppNamesQuery = graphql(`
  query AdminAppNames {
    apiClients {
      id
      name
    }
  }
`);

export function AppSelect({ defaultValue }: { defaultValue: string }) {
  const [result] = useQuery({ query: AppNamesQuery, requestPolicy: 'cache-first' });
  const apps = result.data?.apiClients ?? [];
  return (
    <NativeSelect
      // Remounted when the apps arrive, so the URL's choice is selected once its option exists.
      key={apps.length}
      name="app"
      label="App"
      defaultValue={defaultValue}
      data={[{ value: '', label: 'Any' }, ...apps.map((app) => ({ value: app.id, label: app.name }))]}
    />
  );
}
