// "Did you mean …" names parts of the schema: only authenticated callers get it, and nobody in production.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiForSuite, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';

const TYPO_FIELD = '{ custmers { totalCount } }';
const TYPO_ENUM_LITERAL = '{ plans(filter: { status: ACTIV }) { totalCount } }';
const TYPO_ENUM_VARIABLE = 'query ($filter: PlanFilter) { plans(filter: $filter) { totalCount } }';

async function messages(api: RunningApi, headers: Headers = {}): Promise<string[]> {
  const answers = await Promise.all([
    api.graphql(TYPO_FIELD, {}, headers),
    api.graphql(TYPO_ENUM_LITERAL, {}, headers),
    api.graphql(TYPO_ENUM_VARIABLE, { filter: { status: 'ACTIV' } }, headers),
  ]);
  return answers.map((answer) => answer.errors![0]!.message);
}

describe('schema suggestions outside production', () => {
  const suite = apiForSuite();

  it('are withheld from anonymous callers', async () => {
    const [field, literal, variable] = await messages(suite.api);
    expect(field).toBe('Cannot query field "custmers" on type "Query".');
    expect(literal).toBe('Value "ACTIV" does not exist in "PlanStatus" enum.');
    expect(variable).toMatch(/^Variable "\$filter" got invalid value "ACTIV" at "filter.status"; .*enum\.$/);
  });

  it('are given to authenticated callers', async () => {
    const [field, literal, variable] = await messages(suite.api, await adminHeaders(suite.api, suite.orm));
    expect(field).toMatch(/Did you mean "customers"/);
    expect(literal).toMatch(/Did you mean the enum value "ACTIVE"\?$/);
    expect(variable).toMatch(/Did you mean the enum value "ACTIVE"\?$/);
  });
});

describe('schema suggestions where Apollo would show stack traces (NODE_ENV development, as under npm start)', () => {
  const nodeEnv = process.env.NODE_ENV;
  beforeAll(() => void (process.env.NODE_ENV = 'development'));
  const suite = apiForSuite({ NODE_ENV: 'development' });
  afterAll(() => void (process.env.NODE_ENV = nodeEnv));

  it('leak nowhere in the answer: no stack trace repeats the message they were stripped from', async () => {
    const answer = await suite.api.graphql(TYPO_FIELD);
    expect(answer.errors![0]!.message).toBe('Cannot query field "custmers" on type "Query".');
    expect(answer.errors![0]!.extensions).not.toHaveProperty('stacktrace');
    expect(JSON.stringify(answer)).not.toMatch(/Did you mean/);
  });
});

describe('schema suggestions in production', () => {
  const suite = apiForSuite({
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    DATA_ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
  });

  it('are withheld from everyone, authenticated callers included', async () => {
    const all = [
      ...(await messages(suite.api)),
      ...(await messages(suite.api, await adminHeaders(suite.api, suite.orm))),
    ];
    expect(all).toHaveLength(6);
    for (const message of all) expect(message).not.toMatch(/Did you mean/);
  });
});
