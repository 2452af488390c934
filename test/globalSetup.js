// Before any test file runs: the test database is dropped, so each run starts from an empty one (the first test file
// to connect creates and migrates it). Only a database whose name says it is for tests: a TEST_DATABASE_URL pointed
// at a development or production database by mistake is used as it is, never dropped. Tests share the database within a run; across runs nothing is left to find,
// such as an earlier run's webhook endpoints whose deliveries are still retried against ports others now listen on.
// Plain JavaScript: jest loads this file outside the test transform. The default below is devStackVariables'
// TEST_DATABASE_URL (test/unit/support/globalSetup.test.ts holds the two together).
import pg from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/billing_test';

/** Whether a database of this name may be dropped before a run. */
export function isTestDatabase(name) {
  return /test/i.test(name);
}

export default async function dropTestDatabase() {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!isTestDatabase(name)) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    const where = `${admin.hostname}:${admin.port || 5432}`;
    throw new Error(`tests need Postgres at ${where} (TEST_DATABASE_URL overrides): ${String(error)}`, {
      cause: error,
    });
  }
  try {
    await client.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`);
  } finally {
    await client.end();
  }
}
