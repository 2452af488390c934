import { writeFile } from 'node:fs/promises';
import { csv } from '../output.js';
import type { RejectedRow } from './customerRows.js';

/** The rejected rows as a CSV a person can fix and import again: line, reason, then the row as it was. */
export async function writeRejectedReport(path: string, header: string[], rows: RejectedRow[]) {
  const sorted = [...rows].sort((a, b) => a.line - b.line);
  const lines = sorted.map((row) => [String(row.line), row.reason, ...header.map((name) => row.values[name] ?? '')]);
  await writeFile(path, csv([['line', 'reason', ...header], ...lines]));
}
