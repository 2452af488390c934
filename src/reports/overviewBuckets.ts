// The time buckets of the overview, as SQL: whole days, ISO weeks (from Monday) or calendar months in a time zone,
// from the one holding `from` to the one holding the instant before `to`. Each statement that needs them starts with
// this CTE, so the buckets are computed by Postgres (generate_series) and every figure is grouped on the same edges.

export const REPORT_BUCKETS = ['DAY', 'WEEK', 'MONTH'] as const;
export type ReportBucket = (typeof REPORT_BUCKETS)[number];

/** An IANA zone Postgres and Intl both know; checked before it is written into SQL. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface BucketSql {
  /** `with b(bucket_start, bucket_end, lo, hi) as (...)`: lo/hi clip each bucket to [from, to). */
  cte: string;
  params: unknown[];
  /** The bucket an instant (SQL expression) falls in, clamped to the first one. */
  bucketOf(instant: string): string;
}

/** `unit` comes from REPORT_BUCKETS and `zone` passed isTimeZone: both are safe to write into the statement. */
export function bucketSql(unit: ReportBucket, zone: string, from: Date, to: Date): BucketSql {
  const field = unit.toLowerCase();
  const tz = `'${zone}'`;
  const step = `interval '1 ${field}'`;
  const firstLocal = `date_trunc('${field}', cast(? as timestamptz) at time zone ${tz})`;
  return {
    cte: `b as (
      select (gs at time zone ${tz}) as bucket_start, ((gs + ${step}) at time zone ${tz}) as bucket_end,
             greatest(gs at time zone ${tz}, cast(? as timestamptz)) as lo,
             least((gs + ${step}) at time zone ${tz}, cast(? as timestamptz)) as hi
      from generate_series(${firstLocal},
                           (cast(? as timestamptz) at time zone ${tz}) - interval '1 microsecond', ${step}) gs)`,
    params: [from, to, from, to],
    bucketOf: (instant) =>
      `greatest(date_trunc('${field}', ${instant} at time zone ${tz}) at time zone ${tz}, (select min(bucket_start) from b))`,
  };
}
