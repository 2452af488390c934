/** The database bench/seedAdmin.ts fills and bench/adminLists.ts reads. */
export const BENCH_ADMIN_DATABASE_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/billing_bench_admin';
