import { List, Text } from '@mantine/core';
import { plural } from '../lib/format';
import { priceText, tierLines, type PlanPricing } from './plans';

/** A plan's price, trial, tiers and features, as the plans page and the subscribe page show them. */
export function PlanDetails({
  plan,
  locale,
}: {
  plan: PlanPricing & { trialDays: number; features: readonly string[]; description?: string | null };
  locale: string;
}) {
  const tiers = tierLines(plan, locale);
  return (
    <>
      <Text fw={700} size="lg">
        {priceText(plan, locale)}
      </Text>
      {plan.trialDays > 0 && <Text c="dimmed">{plural(plan.trialDays, 'day')} free trial</Text>}
      {plan.description && <Text>{plan.description}</Text>}
      {tiers.length > 0 && (
        <List size="sm" aria-label="Price tiers">
          {tiers.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      )}
      {plan.features.length > 0 && (
        <List size="sm" aria-label="Features">
          {plan.features.map((feature) => (
            <List.Item key={feature}>{feature}</List.Item>
          ))}
        </List>
      )}
    </>
  );
}
