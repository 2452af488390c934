// The subscription's life drawn as one line: the trial, each billed period coloured by its invoice's status, today,
// and the end. The drawing has a text equivalent (its <desc>, and the invoice list beside it).
import type { SubscriptionSummaryFieldsFragment } from '../graphql/graphql';
import { formatDate } from '../lib/format';

const WIDTH = 600;
const HEIGHT = 70;
const BAR_Y = 28;
const BAR_H = 14;

const COLOURS: Record<string, string> = {
  PAID: 'var(--mantine-color-green-6)',
  OPEN: 'var(--mantine-color-orange-6)',
  VOID: 'var(--mantine-color-gray-5)',
  UNCOLLECTIBLE: 'var(--mantine-color-red-7)',
  DRAFT: 'var(--mantine-color-gray-4)',
};

export function Timeline({
  subscription,
  locale,
}: {
  subscription: SubscriptionSummaryFieldsFragment;
  locale: string;
}) {
  const now = Date.now();
  const times = [
    subscription.trialStart,
    subscription.createdAt,
    subscription.trialEnd,
    subscription.currentPeriodEnd,
    subscription.endedAt,
    ...subscription.invoices.flatMap((invoice) => [invoice.periodStart, invoice.periodEnd]),
  ]
    .filter((value): value is string => Boolean(value))
    .map((value) => Date.parse(value));
  const start = Math.min(...times);
  const end = Math.max(...times, now);
  const x = (iso: string | number) => {
    const time = typeof iso === 'number' ? iso : Date.parse(iso);
    return end === start ? 0 : ((time - start) / (end - start)) * WIDTH;
  };
  const periods = subscription.invoices.filter((invoice) => invoice.kind === 'PERIOD');
  const described = [
    subscription.trialStart && subscription.trialEnd
      ? `Trial from ${formatDate(subscription.trialStart, locale)} to ${formatDate(subscription.trialEnd, locale)}.`
      : '',
    ...periods.map(
      (invoice) =>
        `Period ${formatDate(invoice.periodStart, locale)} to ${formatDate(invoice.periodEnd, locale)}: invoice ${invoice.number} ${invoice.status.toLowerCase()}.`,
    ),
    subscription.endedAt ? `Ended ${formatDate(subscription.endedAt, locale)}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <svg
      className="timeline"
      viewBox={`-4 0 ${WIDTH + 8} ${HEIGHT}`}
      role="img"
      aria-labelledby="timeline-title timeline-desc"
    >
      <title id="timeline-title">Timeline of this subscription</title>
      <desc id="timeline-desc">{described || 'No periods billed yet.'}</desc>
      <rect x={0} y={BAR_Y + BAR_H / 2 - 1} width={WIDTH} height={2} fill="var(--mantine-color-gray-4)" />
      {subscription.trialStart && subscription.trialEnd && (
        <rect
          x={x(subscription.trialStart)}
          y={BAR_Y}
          width={Math.max(2, x(subscription.trialEnd) - x(subscription.trialStart))}
          height={BAR_H}
          rx={3}
          fill="var(--mantine-color-blue-3)"
        />
      )}
      {periods.map((invoice) => (
        <rect
          key={invoice.id}
          x={x(invoice.periodStart) + 1}
          y={BAR_Y}
          width={Math.max(2, x(invoice.periodEnd) - x(invoice.periodStart) - 2)}
          height={BAR_H}
          rx={3}
          fill={COLOURS[invoice.status] ?? COLOURS.DRAFT}
        />
      ))}
      <line x1={x(now)} x2={x(now)} y1={BAR_Y - 8} y2={BAR_Y + BAR_H + 8} stroke="currentColor" strokeWidth={2} />
      <text
        x={Math.min(Math.max(x(now), 20), WIDTH - 20)}
        y={BAR_Y - 12}
        fontSize={12}
        textAnchor="middle"
        fill="currentColor"
      >
        today
      </text>
      <text x={0} y={HEIGHT - 4} fontSize={12} fill="currentColor">
        {formatDate(new Date(start).toISOString(), locale)}
      </text>
      <text x={WIDTH} y={HEIGHT - 4} fontSize={12} textAnchor="end" fill="currentColor">
        {formatDate(new Date(end).toISOString(), locale)}
      </text>
    </svg>
  );
}
