// The catalog: products and their plans (tiers, features, versions on price change, archive) and coupons, with the
// forms that add to them.
import { SimpleGrid } from '@mantine/core';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { CouponsSection } from '../catalog/CouponsSection';
import { CatalogQuery } from '../catalog/operations';
import { PlanForm } from '../catalog/PlanForm';
import { PlansTable } from '../catalog/PlansTable';
import { ProductForm } from '../catalog/ProductForm';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { Section } from '../components/Section';

export default function CatalogPage() {
  const [result, refetch] = useQuery({ query: CatalogQuery });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const products = result.data?.products.edges.map((edge) => edge.node) ?? [];
  const plans = result.data?.plans.edges.map((edge) => edge.node) ?? [];
  return (
    <Page title="Catalog">
      <QueryState fetching={result.fetching && !result.data} error={result.error} what="the catalog" />
      {result.data && (
        <>
          <Section title="Plans">
            <PlansTable plans={plans} onChanged={reload} />
            <PlanForm products={products} onCreated={reload} />
          </Section>
          <Section title="Products">
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <DataTable
                caption="Products"
                empty="No products yet."
                rows={products}
                columns={[
                  { key: 'code', label: 'Code', render: (row) => row.code },
                  { key: 'name', label: 'Name', render: (row) => row.name },
                  { key: 'features', label: 'Features', render: (row) => row.features.join(', ') || '—' },
                ]}
              />
              <ProductForm onCreated={reload} />
            </SimpleGrid>
          </Section>
          <Section title="Coupons">
            <CouponsSection coupons={result.data.coupons} onChanged={reload} />
          </Section>
        </>
      )}
    </Page>
  );
}
