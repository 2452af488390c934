// The overview's ranges: the last 30 days by day, 12 weeks by week, 12 months by month, ending now.
import type { ReportBucket } from '../../graphql/graphql';

export const RANGES = [
  { key: '30d', label: 'Last 30 days, by day', bucket: 'DAY', days: 30 },
  { key: '12w', label: 'Last 12 weeks, by week', bucket: 'WEEK', days: 84 },
  { key: '12m', label: 'Last 12 months, by month', bucket: 'MONTH', days: 365 },
] as const satisfies readonly { key: string; label: string; bucket: ReportBucket; days: number }[];

export type RangeKey = (typeof RANGES)[number]['key'];

export function rangeOf(key: RangeKey, now: Date): { from: string; to: string; bucket: ReportBucket } {
  const range = RANGES.find((one) => one.key === key) ?? RANGES[0];
  // To the next minute, so the bucket holding now is included; from whole days back.
  const to = new Date(Math.ceil(now.getTime() / 60_000) * 60_000 + 60_000);
  const from = new Date(to.getTime() - range.days * 86_400_000);
  return { from: from.toISOString(), to: to.toISOString(), bucket: range.bucket };
}
