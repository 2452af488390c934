// CSV as RFC 4180 writes it: fields joined by commas, lines ended by CRLF, a field quoted (its quotes doubled) when it
// holds a comma, a quote or a line break. Text that people typed (names, emails, failure messages) and that begins
// like a spreadsheet formula (= + - @, tab, CR) is prefixed with ' so that opening the file never runs it.

export type CsvValue = string | number | boolean | Date | null | undefined;

/** A cell holding text someone else typed: guarded against formula injection. */
export class Text {
  constructor(readonly value: string | null | undefined) {}
}

function field(value: CsvValue | Text): string {
  let text: string;
  if (value instanceof Text) {
    text = value.value ?? '';
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  } else if (value === null || value === undefined) text = '';
  else if (value instanceof Date) text = value.toISOString();
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (CsvValue | Text)[]): string {
  return `${values.map(field).join(',')}\r\n`;
}
