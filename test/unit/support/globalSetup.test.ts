// The global setup's own default database is the one the tests use.
import { expect, it } from '@jest/globals';
import { devStackVariables } from '../../../src/config/devStackVariables.js';
import { DEFAULT_TEST_DATABASE_URL } from '../../globalSetup.js';

it('drops the database the tests use when TEST_DATABASE_URL names none', () => {
  expect(DEFAULT_TEST_DATABASE_URL).toBe(devStackVariables.TEST_DATABASE_URL.default);
});
