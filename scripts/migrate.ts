// `npm run db:migrate`: creates the database if needed and applies the committed migrations.
import { loadConfigOrExit } from '../src/config.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { createOrm, migrate } from '../src/db/orm.js';
import { redactUrl } from '../src/logger.js';

const config = loadConfigOrExit();
try {
  if (await ensureDatabaseExists(config.database.url))
    console.log(`created database ${redactUrl(config.database.url)}`);
  const orm = createOrm(config.database);
  const applied = await migrate(orm);
  await orm.close();
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the schema is up to date');
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
