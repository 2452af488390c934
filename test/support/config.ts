import { loadConfig, type Config } from '../../src/config.js';
import { devStackVariables } from '../../src/config/devStackVariables.js';
import { FieldCipher } from '../../src/security/fieldCipher.js';

/** The tests' own database on the local server, unless TEST_DATABASE_URL names another. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? devStackVariables.TEST_DATABASE_URL.default;

export function testConfig(overrides: Record<string, string> = {}): Config {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: TEST_DATABASE_URL, ...overrides });
}

/** The cipher the API and the worker build from the test configuration (the development keyring). */
export function testCipher(): FieldCipher {
  return new FieldCipher(testConfig().payments.keyring);
}
