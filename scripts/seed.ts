// `npm run seed`: demo data (idempotent), and how to log in.
import { loadConfigOrExit } from '../src/config.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { createOrm, migrate } from '../src/db/orm.js';
import { describeSeed, seed } from '../src/db/seed.js';

const config = loadConfigOrExit();
try {
  await ensureDatabaseExists(config.database.url);
  const orm = createOrm(config.database);
  await migrate(orm);
  const report = await seed(orm, config);
  await orm.close();
  for (const line of describeSeed(report, `http://${config.http.host}:${config.http.port}/graphql`)) console.log(line);
} catch (error) {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
