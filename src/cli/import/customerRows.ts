// Customer rows checked here before any request with the same rules as the API (src/customers/customerInput.ts),
// so a bad row is reported with its line at once, and only rows the API should take are sent.
import { z } from 'zod';
import { normalizePhone } from '../../domain/phone.js';
import type { Columns, CsvRow } from './csvFile.js';

export const CUSTOMER_COLUMNS: Columns = {
  required: ['email', 'name'],
  optional: ['phone', 'external_id', 'locale'],
};

/** A row to send: its line in the file and its business identity (what makes sending it twice harmless). */
export interface KeyedRow {
  line: number;
  key: string;
}

export interface CustomerRow extends KeyedRow {
  /**
   * The row's business identity: its external_id, else its email. Sent as the customer's externalId, which the API
   * keeps unique per app, so a row sent twice (a retry, a resumed import) creates one customer.
   */
  key: string;
  input: { email: string; name: string; externalId: string; phone?: string; locale?: string };
}

export interface RejectedRow {
  line: number;
  reason: string;
  values: Record<string, string>;
}

const email = z.string().trim().toLowerCase().email();

export function checkCustomerRows(rows: CsvRow[]): { good: CustomerRow[]; rejected: RejectedRow[] } {
  const good: CustomerRow[] = [];
  const rejected: RejectedRow[] = [];
  const emails = new Map<string, number>();
  const keys = new Map<string, number>();
  for (const row of rows) {
    const reason = (text: string) => rejected.push({ line: row.line, reason: text, values: row.values });
    const { values } = row;
    const address = email.safeParse(values.email ?? '');
    if (!address.success) {
      reason(`email must be an email address, got "${values.email ?? ''}"`);
      continue;
    }
    const name = (values.name ?? '').trim();
    if (!name || name.length > 200) {
      reason('name must be 1 to 200 characters');
      continue;
    }
    const phone = values.phone ? normalizePhone(values.phone) : undefined;
    if (phone === null) {
      reason(`phone must be in E.164 form such as +254712345678 (or 0712345678 in Kenya), got "${values.phone}"`);
      continue;
    }
    const key = values.external_id || address.data;
    const sameEmail = emails.get(address.data);
    if (sameEmail !== undefined) {
      reason(`duplicate email ${address.data}: already on line ${sameEmail}`);
      continue;
    }
    const sameKey = keys.get(key);
    if (sameKey !== undefined) {
      reason(`duplicate external_id ${key}: already on line ${sameKey}`);
      continue;
    }
    emails.set(address.data, row.line);
    keys.set(key, row.line);
    good.push({
      line: row.line,
      key,
      input: {
        email: address.data,
        name,
        externalId: key,
        ...(phone ? { phone } : {}),
        ...(values.locale ? { locale: values.locale } : {}),
      },
    });
  }
  return { good, rejected };
}
