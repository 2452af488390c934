import { ensureDatabaseExists } from '../../src/db/ensureDatabase.js';
import { createOrm, migrate, type Orm } from '../../src/db/orm.js';
import { redactUrl } from '../../src/logger.js';
import { testConfig } from './config.js';

/** An ORM on the test database, created and migrated on first use (migrations are a no-op after that). */
export async function testOrm(): Promise<Orm> {
  const { database } = testConfig();
  try {
    await ensureDatabaseExists(database.url);
  } catch (error) {
    throw new Error(
      `tests need Postgres at ${redactUrl(database.url)} (TEST_DATABASE_URL overrides): ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const orm = createOrm(database);
  await migrate(orm);
  return orm;
}

/** An ORM on the test database that counts the SQL statements it sends (read and reset `statements`). */
export function countingOrm(): { orm: Orm; statements: number } {
  const counter = { statements: 0 } as { orm: Orm; statements: number };
  counter.orm = createOrm(testConfig().database, {
    onQuery: (sql) => {
      counter.statements++;
      return sql;
    },
  });
  return counter;
}
