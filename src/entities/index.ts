import * as tables from './tables.js';

export * from './tables.js';
/** What the ORM discovers: every entity in tables.ts. */
export const entities = Object.values(tables);
