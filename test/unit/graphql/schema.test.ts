import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { printSchema } from 'graphql';
import { buildBillingSchema } from '../../../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('matches the schema the resolvers build (run `npm run schema:print` after changing the API)', async () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', '..', 'schema.graphql'), 'utf8');
    expect(printSchema(await buildBillingSchema()) + '\n').toBe(committed);
  });
});
