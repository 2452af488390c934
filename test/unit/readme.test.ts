import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { variables } from '../../src/config.js';

describe('README', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

  it('has a configuration row for every variable src/config.ts reads', () => {
    const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((match) => match[1]));
    const missing = Object.keys(variables).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('gives the quick start and test commands', () => {
    expect(readme).toMatch(/npm install[\s\S]*npm start[\s\S]*npm test/);
  });
});
