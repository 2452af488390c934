// Tests run as ESM through ts-jest, with full type information so that decorator metadata
// (MikroORM entities, TypeGraphQL types) is emitted exactly as in the compiled build.
/** @type {import('jest').Config} */
export default {
  testEnvironment: '<rootDir>/test/environment.js',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setupEnv.ts'],
  globalSetup: '<rootDir>/test/globalSetup.js',
  testTimeout: 60_000,
  maxWorkers: 2,
  watchman: false,
  reporters: ['default', '<rootDir>/test/reporters/plainSummary.js'],
  // The Temporal native runtime keeps a handle open after every environment is torn down; without this jest
  // waits on it forever. Suites still tear down what they start.
  forceExit: true,
};
