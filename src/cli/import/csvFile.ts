// A CSV file as numbered rows keyed by its header. Wrong columns are refused before anything is sent.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { CliError, EXIT } from '../errors.js';

export interface CsvRow {
  /** The line of the file the row ends on (1 is the header), as an editor shows it. */
  line: number;
  values: Record<string, string>;
}

export interface Columns {
  required: readonly string[];
  optional: readonly string[];
}

export function expectedHeader(columns: Columns): string {
  return [...columns.required, ...columns.optional.map((c) => `[${c}]`)].join(',');
}

export async function readCsv(path: string, columns: Columns): Promise<{ header: string[]; rows: CsvRow[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, EXIT.USAGE);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new CliError(`${path} is not valid CSV: ${(error as Error).message}`, EXIT.USAGE);
  }
  const [first, ...rest] = records;
  const header = (first?.record ?? []).map((name) => name.toLowerCase());
  const known = new Set([...columns.required, ...columns.optional]);
  const missing = columns.required.filter((name) => !header.includes(name));
  const unknown = header.filter((name) => !known.has(name));
  const repeated = header.filter((name, i) => header.indexOf(name) !== i);
  if (missing.length || unknown.length || repeated.length) {
    const problems = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unknown.length ? `unknown ${unknown.join(', ')}` : '',
      repeated.length ? `repeated ${repeated.join(', ')}` : '',
    ].filter(Boolean);
    throw new CliError(
      `${path}: wrong columns (${problems.join('; ')}); expected a header ${expectedHeader(columns)}`,
      EXIT.USAGE,
    );
  }
  const rows = rest.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])),
  }));
  return { header, rows };
}
