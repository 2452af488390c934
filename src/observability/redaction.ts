// The values a log line must never show, whatever field or message they hide in: the configuration's secrets (API
// keys, JWT secret, provider credentials, passwords in connection URLs, the metrics token, encryption keys) and any
// email address or Kenyan mobile number. Key-based redaction (pino's `redact`, src/logger.ts) covers fields with a
// telling name; this covers the rest, such as an error message that quotes a URL with its password.
import type { Config } from '../config.js';

export const REDACTED = '[REDACTED]';

/** Shorter values are not scrubbed: a 3-character "secret" would blank out half the words of every line. */
const MIN_SECRET_LENGTH = 8;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** 07xx / 01xx, 2547xx / 2541xx, with an optional +, as Daraja and customers write them. */
const KENYAN_MOBILE = /(?<![\w+])(?:\+?254|0)[17]\d{8}(?!\w)/g;

/** Every secret value the configuration holds, as it may appear in text. */
export function configSecrets(config: Config): string[] {
  const { payments, auth, database, smtp, seed, metrics, etims } = config;
  const values: (string | null | undefined)[] = [
    auth.jwtSecret,
    payments.mpesaCallbackSecret,
    payments.mpesa?.consumerKey,
    payments.mpesa?.consumerSecret,
    payments.mpesa?.passkey,
    payments.paypal?.clientId,
    payments.paypal?.clientSecret,
    urlPassword(database.url),
    urlPassword(smtp.url),
    seed.adminPassword,
    metrics.token,
    etims?.communicationKey,
    ...payments.keyring.flatMap((key) => [key.key.toString('base64'), key.key.toString('hex')]),
  ];
  return values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
}

function urlPassword(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}

/** A function that returns its argument with every secret, email and phone number replaced (objects copied). */
export function scrubberFor(secrets: readonly string[]): (value: unknown) => unknown {
  const known = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))]
    .sort((a, b) => b.length - a.length)
    .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const secretPattern = known.length ? new RegExp(known.join('|'), 'g') : null;
  const text = (value: string): string => {
    let out = secretPattern ? value.replace(secretPattern, REDACTED) : value;
    out = out.replace(EMAIL, REDACTED).replace(KENYAN_MOBILE, REDACTED);
    return out;
  };
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (value instanceof Error)
      return { name: value.name, message: text(value.message), stack: text(value.stack ?? '') };
    if (depth > 4 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
    if (value instanceof Date || Buffer.isBuffer(value)) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = scrub(item, depth + 1);
    return copy;
  };
  return (value) => scrub(value, 0);
}
