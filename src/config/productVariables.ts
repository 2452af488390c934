// The product's settings: what a deployment of the API and the worker reads. The README's "Configuration" table
// documents each one (test/unit/readme.test.ts holds the table to this list and its defaults).
import { z } from 'zod';
import { DEFAULT_TRANSMISSION_TOLERANCE_SECONDS } from '../payments/paypal/transmissionWindow.js';
import {
  port,
  positiveInt,
  nonNegativeInt,
  nonNegativeNumber,
  bool,
  postgresUrl,
  isLanguageTag,
  hostPort,
} from './schemas.js';

export const productVariables = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']),
    default: 'development',
  },
  HOST: {
    schema: z.string().min(1),
    default: '127.0.0.1',
  },
  PORT: { schema: port, default: '4000' },
  LOG_LEVEL: {
    schema: z.enum(['debug', 'info', 'warn', 'error']),
    default: 'info',
  },
  GRAPHQL_IDE: {
    schema: bool,
    default: undefined,
  },
  SHUTDOWN_GRACE_MS: {
    schema: positiveInt,
    default: '10000',
  },
  DATABASE_URL: {
    schema: postgresUrl,
    default: 'postgres://postgres@127.0.0.1:5432/billing',
  },
  DATABASE_POOL_MAX: {
    schema: positiveInt,
    default: '10',
  },
  ENTITLEMENT_POOL_MAX: {
    schema: positiveInt,
    default: '10',
  },
  ENTITLEMENT_CACHE_SIZE: {
    schema: nonNegativeInt,
    default: '100000',
  },
  API_KEY_CACHE_SIZE: {
    schema: nonNegativeInt,
    default: '10000',
  },
  TEMPORAL_ADDRESS: {
    schema: hostPort,
    default: '127.0.0.1:7233',
  },
  TEMPORAL_NAMESPACE: { schema: z.string().min(1), default: 'default' },
  TEMPORAL_UI_URL: {
    schema: z
      .string()
      .url('must be an http(s) URL of the Temporal Web UI, e.g. http://127.0.0.1:8233')
      .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL of the Temporal Web UI'),
    default: undefined,
  },
  TEMPORAL_TASK_QUEUE: {
    schema: z.string().min(1),
    default: 'billing',
  },
  WORKER_MAX_CONCURRENT_ACTIVITIES: {
    schema: positiveInt,
    default: '100',
  },
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: {
    schema: positiveInt.min(2, 'must be at least 2'),
    default: '40',
  },
  // Each cached workflow holds about 0.6 MiB of the worker's memory (bench/results/sleeping-workflows-*.md); the SDK's
  // own default, sized from the heap limit (about 2,400 with Node's 4 GiB), took a worker past 1.6 GB at 4,000
  // sleeping workflows. A workflow out of the cache costs a replay of one short run when it wakes.
  WORKER_MAX_CACHED_WORKFLOWS: {
    schema: z.coerce.number().int('must be a whole number').min(0, 'must not be negative'),
    default: '500',
  },
  // How long a workflow's next task waits on the worker that has it cached before any worker may take it (with its
  // history): what a SIGKILLed worker's workflows wait before another carries them on. Below the SDK's 10 s because
  // the billing run went faster with 3 s, not slower (README, docs/architecture.md).
  WORKER_STICKY_QUEUE_TIMEOUT_MS: {
    schema: positiveInt.min(1000, 'must be at least 1000 (1 second)'),
    default: '3000',
  },
  JWT_SECRET: {
    schema: z.string().min(32, 'must be at least 32 characters'),
    default: undefined,
  },
  ACCESS_TOKEN_TTL_SECONDS: {
    schema: positiveInt.max(900, 'must be at most 900 (15 minutes)'),
    default: '900',
  },
  REFRESH_TOKEN_TTL_DAYS: {
    schema: positiveInt.max(365, 'must be at most 365'),
    default: '30',
  },
  CORS_ORIGINS: {
    schema: z.string(),
    default: '',
  },
  TLS_CERT_FILE: {
    schema: z.string().min(1),
    default: undefined,
  },
  TLS_KEY_FILE: { schema: z.string().min(1), default: undefined },
  RATE_LIMIT_PER_MINUTE: {
    schema: positiveInt,
    default: '1200',
  },
  LOGIN_ATTEMPTS_PER_MINUTE: {
    schema: positiveInt,
    default: '10',
  },
  PAST_DUE_GRACE_DAYS: {
    schema: z.coerce.number().int('must be a whole number of days').min(0, 'must not be negative'),
    default: '7',
  },
  MPESA_CALLBACK_SECRET: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    default: undefined,
  },
  PAYPAL_WEBHOOK_ID: {
    schema: z.string().min(1),
    default: undefined,
  },
  PAYPAL_WEBHOOK_VERIFICATION: {
    schema: z.enum(['certificate', 'api'], { error: 'must be certificate or api' }),
    default: 'certificate',
  },
  PAYPAL_WEBHOOK_TOLERANCE_SECONDS: {
    schema: positiveInt,
    default: String(DEFAULT_TRANSMISSION_TOLERANCE_SECONDS),
  },
  PAYPAL_CERT_URL_PREFIXES: {
    schema: z.string().min(1),
    default:
      'https://api.paypal.com/,https://api-m.paypal.com/,https://api.sandbox.paypal.com/,https://api-m.sandbox.paypal.com/',
  },
  PUBLIC_URL: {
    schema: z.string().url('must be a URL, e.g. https://billing.example.com'),
    default: undefined,
  },
  DATA_ENCRYPTION_KEYS: {
    schema: z.string().min(1),
    default: undefined,
  },
  MPESA_BASE_URL: {
    schema: z.string().url(),
    default: undefined,
  },
  MPESA_CONSUMER_KEY: { schema: z.string().min(1), default: undefined },
  MPESA_CONSUMER_SECRET: { schema: z.string().min(1), default: undefined },
  MPESA_SHORTCODE: {
    schema: z.string().regex(/^\d{5,7}$/, 'must be a paybill or till number (5 to 7 digits)'),
    default: '174379',
  },
  MPESA_PASSKEY: { schema: z.string().min(1), default: undefined },
  // Refunds by Transaction Reversal (docs/refunds.md): the org portal's API operator and its encrypted password.
  MPESA_INITIATOR_NAME: { schema: z.string().min(1), default: undefined },
  MPESA_SECURITY_CREDENTIAL: { schema: z.string().min(1), default: undefined },
  // Partial refunds are sent to the customer's phone by B2C, from the business's B2C shortcode (docs/refunds.md).
  MPESA_B2C_SHORTCODE: {
    schema: z.string().regex(/^\d{5,7}$/, 'must be a B2C shortcode (5 to 7 digits)'),
    default: undefined,
  },
  MPESA_CALLBACK_WAIT_SECONDS: {
    schema: positiveInt,
    default: '90',
  },
  PAYPAL_BASE_URL: {
    schema: z.string().url(),
    default: undefined,
  },
  PAYPAL_CLIENT_ID: { schema: z.string().min(1), default: undefined },
  PAYPAL_CLIENT_SECRET: { schema: z.string().min(1), default: undefined },
  PAYMENT_RETRY_DAYS: {
    schema: z
      .string()
      .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'must be comma-separated numbers of days, e.g. 1,3,5,7'),
    default: '1,3,5,7',
  },
  TAX_RATE_BASIS_POINTS: {
    schema: z.coerce
      .number({ error: 'must be a whole number of basis points from 0 to 10000' })
      .int('must be a whole number of basis points from 0 to 10000')
      .min(0, 'must be a whole number of basis points from 0 to 10000')
      .max(10_000, 'must be a whole number of basis points from 0 to 10000'),
    default: '0',
  },
  TAX_NAME: { schema: z.string().min(1).max(40), default: 'VAT' },
  SELLER_NAME: {
    schema: z.string().trim().min(1).max(200, 'must be at most 200 characters'),
    default: undefined,
  },
  SELLER_KRA_PIN: {
    schema: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]\d{9}[A-Z]$/, 'must be a KRA PIN: a letter, nine digits and a letter, e.g. P051234567Q'),
    default: undefined,
  },
  SELLER_ADDRESS: {
    schema: z.string().trim().min(1).max(500, 'must be at most 500 characters'),
    default: undefined,
  },
  RATIBA_COLLECTION_WAIT_HOURS: {
    schema: nonNegativeNumber,
    default: '12',
  },
  ETIMS_ENABLED: {
    schema: bool,
    default: 'false',
  },
  ETIMS_URL: {
    schema: z.string().url("must be the eTIMS control unit's base URL, e.g. https://etims-api.kra.go.ke/etims-api"),
    default: undefined,
  },
  ETIMS_BRANCH_ID: {
    schema: z.string().regex(/^\d{2}$/, 'must be the two-digit branch id the device is registered with, e.g. 00'),
    default: '00',
  },
  ETIMS_CMC_KEY: {
    schema: z.string().min(8, 'must be the communication key KRA issued when the device was initialized'),
    default: undefined,
  },
  ETIMS_ITEM_CLASSIFICATION_CODE: {
    schema: z.string().regex(/^\d{6,10}$/, 'must be a KRA item classification code: 6 to 10 digits'),
    default: '8111150000',
  },
  ETIMS_SUBMIT_FROM: {
    schema: z.iso.date('must be a date as YYYY-MM-DD: invoices issued from that day on go to eTIMS'),
    default: undefined,
  },
  ETIMS_QR_BASE_URL: {
    schema: z.string().url('must be an https:// URL'),
    default: 'https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData',
  },
  MINUTE_PLANS: {
    schema: bool,
    default: undefined,
  },
  AFTER_LAST_RETRY: {
    schema: z.enum(['CANCELED', 'UNPAID'], { error: 'must be CANCELED or UNPAID' }),
    default: 'CANCELED',
  },
  TRIAL_END_WITHOUT_PAYMENT_METHOD: {
    schema: z.enum(['INVOICE', 'CANCEL', 'PAUSE'], { error: 'must be INVOICE, CANCEL or PAUSE' }),
    default: 'INVOICE',
  },
  INCOMPLETE_EXPIRY_HOURS: {
    schema: nonNegativeNumber,
    default: '23',
  },
  TRIAL_ENDING_NOTICE_DAYS: {
    schema: nonNegativeNumber,
    default: '3',
  },
  RENEWAL_REMINDER_DAYS: {
    schema: nonNegativeNumber,
    default: '7',
  },
  SMTP_URL: {
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587'),
    default: undefined,
  },
  EMAIL_FROM: {
    schema: z.string().min(3),
    default: 'Karibu Billing <billing@example.com>',
  },
  BRAND_PRODUCT_NAME: {
    schema: z.string().trim().min(1).max(80, 'must be at most 80 characters'),
    default: 'Karibu Billing',
  },
  BRAND_LOGO_URL: {
    schema: z
      .string()
      .url('must be an https:// URL of an image')
      .refine((value) => value.startsWith('https://'), 'must be an https:// URL of an image'),
    default: undefined,
  },
  BRAND_PRIMARY_COLOR: {
    schema: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb, e.g. #0b7a4b'),
    default: '#0b7a4b',
  },
  BRAND_SUPPORT_EMAIL: {
    schema: z.string().email('must be an email address'),
    default: 'support@example.com',
  },
  BRAND_LEGAL_FOOTER: {
    schema: z.string().trim().min(1).max(500, 'must be at most 500 characters'),
    default: 'You receive this email because you have an account with us.',
  },
  EMAIL_DEFAULT_LOCALE: {
    schema: z.string().refine(isLanguageTag, 'must be a BCP 47 language tag, e.g. en-KE'),
    default: 'en-KE',
  },
  WEBHOOK_DELIVERY: {
    schema: bool,
    default: undefined,
  },
  WEBHOOK_CONCURRENCY: {
    schema: positiveInt.max(256, 'must be at most 256'),
    default: '64',
  },
  WEBHOOK_TIMEOUT_MS: {
    schema: positiveInt.max(30_000, 'must be at most 30000 (30 s)'),
    default: '10000',
  },
  WEBHOOK_ALLOW_PRIVATE_URLS: {
    schema: bool,
    default: undefined,
  },
  METRICS_TOKEN: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    default: undefined,
  },
  METRICS_HOST: {
    schema: z.string().min(1),
    default: '127.0.0.1',
  },
  METRICS_PORT: {
    schema: z.coerce.number().int('must be a port number or 0').min(0).max(65535, 'must be a port number or 0'),
    default: '0',
  },
  WORKER_METRICS_PORT: {
    schema: z.coerce.number().int('must be a port number or 0').min(0).max(65534, 'must be a port number or 0'),
    default: '9464',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: z
      .string()
      .url('must be the http(s) URL of an OTLP collector, e.g. http://127.0.0.1:4318')
      .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL'),
    default: undefined,
  },
} as const;
