import { Alert, Button, Card, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { PlanDetails } from '../billing/PlanDetails';
import { ActivePlansQuery } from '../billing/planFields';
import { Page } from '../components/Page';
import { useCustomer } from '../components/useCustomer';
import type { PlanFieldsFragment } from '../graphql/graphql';

function byProduct(plans: PlanFieldsFragment[]) {
  const groups = new Map<string, { product: PlanFieldsFragment['product']; plans: PlanFieldsFragment[] }>();
  for (const plan of plans) {
    const group = groups.get(plan.product.id) ?? { product: plan.product, plans: [] };
    group.plans.push(plan);
    groups.set(plan.product.id, group);
  }
  return [...groups.values()].sort((a, b) => a.product.name.localeCompare(b.product.name));
}

export default function PlansPage() {
  const { locale } = useCustomer();
  const [result] = useQuery({ query: ActivePlansQuery });
  const plans = result.data?.plans.edges.map((edge) => edge.node) ?? [];
  return (
    <Page title="Plans">
      {result.fetching && !result.data && <Loader role="status" aria-label="Loading plans" />}
      {result.error && <Alert color="red">{formErrors(result.error).message}</Alert>}
      {result.data && plans.length === 0 && <Text>No plans are on offer right now.</Text>}
      {byProduct(plans).map(({ product, plans: productPlans }) => (
        <Stack key={product.id} gap="sm" component="section" aria-labelledby={`product-${product.id}`}>
          <Title order={2} size="h3" id={`product-${product.id}`}>
            {product.name}
          </Title>
          {product.description && <Text c="dimmed">{product.description}</Text>}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {productPlans.map((plan) => (
              <Card key={plan.id} withBorder component="article" aria-labelledby={`plan-${plan.id}`}>
                <Stack gap="xs" h="100%">
                  <Title order={3} size="h4" id={`plan-${plan.id}`}>
                    {plan.name}
                  </Title>
                  {plan.tier && <Text size="sm">{plan.tier}</Text>}
                  <PlanDetails plan={plan} locale={locale} />
                  <Button component={Link} to={`/subscribe/${plan.id}`} mt="auto" aria-describedby={`plan-${plan.id}`}>
                    Subscribe
                  </Button>
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        </Stack>
      ))}
    </Page>
  );
}
