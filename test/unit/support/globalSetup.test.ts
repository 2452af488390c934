// The global setup's own default database is the one the tests use.
import { expect, it } from '@jest/globals';
import { devStackVariables } from '../../../src/config/devStackVariables.js';
import { DEFAULT_TEST_DATABASE_URL, isTestDatabase } from '../../globalSetup.js';

it('drops the database the tests use when TEST_DATABASE_URL names none', () => {
  expect(DEFAULT_TEST_DATABASE_URL).toBe(devStackVariables.TEST_DATABASE_URL.default);
});

it('drops only a database whose name says it is for tests', () => {
  expect(['billing_test', 'ci-test-2', 'TEST'].filter(isTestDatabase)).toEqual(['billing_test', 'ci-test-2', 'TEST']);
  expect(['billing', 'billing_bench', 'postgres'].filter(isTestDatabase)).toEqual([]);
});
