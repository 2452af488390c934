// `npm run schema:print`: writes the GraphQL schema to schema.graphql (a test fails when it is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildBillingSchema } from '../src/graphql/schema.js';
import { projectRoot } from '../src/paths.js';

writeFileSync(join(projectRoot, 'schema.graphql'), printSchema(await buildBillingSchema()) + '\n');
console.log('wrote schema.graphql');
