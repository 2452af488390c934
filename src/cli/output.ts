// Human tables by default; --json prints what the API answered; --csv for spreadsheets.

export type Format = 'table' | 'json' | 'csv';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

export function formatOf(options: { json?: boolean; csv?: boolean }): Format {
  if (options.json) return 'json';
  if (options.csv) return 'csv';
  return 'table';
}

export function printRows<T>(rows: T[], columns: Column<T>[], format: Format, json: unknown = rows) {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => text(column.value(row))));
  const headers = columns.map((column) => column.header);
  if (format === 'table') process.stdout.write(table(headers, cells));
  // Spreadsheet headers as column names: `external_id`, not `EXTERNAL ID`.
  else process.stdout.write(csv([headers.map((h) => h.toLowerCase().replace(/ /g, '_')), ...cells]));
}

/** One record as `field  value` lines (or JSON). */
export function printRecord(record: Record<string, unknown>, format: Format, json: unknown = record) {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const entries = Object.entries(record).map(([key, value]) => [key, text(value)]);
  if (format === 'csv') process.stdout.write(csv([['field', 'value'], ...entries]));
  else process.stdout.write(table(['FIELD', 'VALUE'], entries, false));
}

export function table(headers: string[], rows: string[][], withHeader = true): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = rows.map(line);
  if (withHeader) lines.unshift(line(headers));
  if (rows.length === 0 && withHeader) lines.push('(none)');
  return `${lines.join('\n')}\n`;
}

export function csv(rows: string[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Money as the API formats it; dates as ISO; nothing as an empty cell. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'formatted' in value) return String((value as { formatted: unknown }).formatted);
  if (Array.isArray(value)) return value.map(text).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
