import 'reflect-metadata';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Config } from '../config.js';
import { entities } from '../entities/index.js';
import { migrations } from './migrations/index.js';
import { trackPool } from '../observability/metrics.js';

export type Orm = MikroORM;

export function ormOptions(database: Config['database'], extra: Partial<Options> = {}) {
  return defineConfig({
    ...extra,
    clientUrl: database.url,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    pool: { min: 0, max: database.poolMax },
    // The pool's use is exported as billing_db_pool_connections{pool="orm"} (src/observability/metrics.ts).
    driverOptions: { onPoolCreated: (pool: pg.Pool) => trackPool('orm', pool) },
    // Read paths fork an EntityManager per request/activity; never share the global identity map.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
  });
}

/** Creates the ORM without touching the database, so processes can start (and report 503) while it is down. */
export function createOrm(database: Config['database'], extra: Partial<Options> = {}): Orm {
  return new MikroORM(ormOptions(database, extra));
}

/** Any constant both sides agree on: it names "migrating this database" for pg_advisory_lock. */
const MIGRATION_LOCK_KEY = 7_245_031_905;

/**
 * Applies pending migrations. Concurrent callers (several API replicas, parallel test workers) queue on an
 * advisory lock held by a session of its own, so each migration runs once.
 */
export async function migrate(orm: Orm): Promise<string[]> {
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl') });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.migrator.up();
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
