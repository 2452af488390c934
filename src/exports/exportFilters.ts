// An export takes the list's filters from the query string (?status=OPEN&from=2026-01-01T00:00:00Z&sort=TOTAL...):
// each parameter is read by its kind and refused by name when it does not parse, as the GraphQL list would refuse it.
import { ValidationError } from '../kernel/errors.js';

export type ParamKind = 'text' | 'id' | 'date' | 'minorUnits' | readonly string[] | { list: readonly string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The parameters `kinds` names, parsed; anything else in the query string is refused (a typo filters nothing). */
export function parseParams(
  query: Record<string, unknown>,
  kinds: Record<string, ParamKind>,
): Record<string, string | Date | number | string[]> {
  const fields: Record<string, string> = {};
  const parsed: Record<string, string | Date | number | string[]> = {};
  for (const [name, raw] of Object.entries(query)) {
    const kind = kinds[name];
    if (!kind) {
      fields[name] = `is not a filter of this list (known: ${Object.keys(kinds).join(', ')})`;
      continue;
    }
    if (typeof raw !== 'string') {
      fields[name] = 'must be given once';
      continue;
    }
    const value = parseOne(raw, kind);
    if (typeof value === 'object' && value !== null && 'error' in value) fields[name] = value.error;
    else parsed[name] = value;
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return parsed;
}

function parseOne(raw: string, kind: ParamKind): string | Date | number | string[] | { error: string } {
  if (kind === 'text') return raw;
  if (kind === 'id') return UUID.test(raw) ? raw : { error: 'must be an id' };
  if (kind === 'date') {
    const date = new Date(raw);
    return Number.isNaN(date.getTime()) ? { error: 'must be an ISO 8601 date-time' } : date;
  }
  if (kind === 'minorUnits') {
    return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))
      ? Number(raw)
      : { error: 'must be a whole number of minor units' };
  }
  const allowed = Array.isArray(kind) ? kind : (kind as { list: readonly string[] }).list;
  const values = Array.isArray(kind) ? [raw] : raw.split(',');
  const wrong = values.find((value) => !allowed.includes(value));
  if (wrong !== undefined) return { error: `must be one of ${allowed.join(', ')}` };
  return Array.isArray(kind) ? raw : values;
}
