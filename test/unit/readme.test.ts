// The README's configuration tables are the variables' documentation: held here to the definitions in
// src/config/ (which table each variable is in, and its default as the code has it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { devStackVariables } from '../../src/config/devStackVariables.js';
import { productVariables } from '../../src/config/productVariables.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

interface Row {
  variable: string;
  defaultText: string;
}

/** The rows of the first table after `heading`. */
function tableAfter(heading: string): Row[] {
  const from = readme.indexOf(heading);
  expect(from).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(from).split('\n');
  const first = lines.findIndex((line) => line.startsWith('| variable'));
  const rows: Row[] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    const [, variable = '', defaultText = ''] = line.split('|').map((cell) => cell.trim());
    rows.push({ variable: variable.replace(/`/g, ''), defaultText });
  }
  return rows;
}

describe('README', () => {
  const tables = [
    ['## Configuration', productVariables],
    ['### Developer stack', devStackVariables],
  ] as const;

  it.each(tables)('lists under "%s" exactly the variables of that definition, once each', (heading, variables) => {
    const listed = tableAfter(heading).map((row) => row.variable);
    expect([...listed].sort()).toEqual(Object.keys(variables).sort());
  });

  it.each(tables)('gives under "%s" each default as the code has it', (heading, variables) => {
    const specs: Record<string, { default: string | undefined }> = variables;
    const wrong = tableAfter(heading).filter(({ variable, defaultText }) => {
      const fallback = specs[variable]?.default;
      // Empty and long defaults (a list of hosts) are described in words.
      const shown = fallback !== undefined && fallback !== '' && fallback.length <= 60;
      return shown && !defaultText.includes(`\`${fallback}\``);
    });
    expect(wrong).toEqual([]);
  });

  it('gives the quick start and test commands', () => {
    expect(readme).toMatch(/npm install[\s\S]*npm start[\s\S]*npm test/);
  });
});
