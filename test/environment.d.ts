import { TestEnvironment } from 'jest-environment-node';

/** Node's test environment whose timers never fire after the test file has finished (see environment.js). */
export default class IsolatedTestEnvironment extends TestEnvironment {}
