// The only place that reads process.env. Every variable is parsed and validated once; a bad one stops
// the process with a single line that names it and says what it expects.
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseKeyring, type EncryptionKey } from './security/fieldCipher.js';
import { devStackVariables } from './config/devStackVariables.js';
import { productVariables } from './config/productVariables.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Every variable the project reads: name -> schema and default. */
export const variables = { ...productVariables, ...devStackVariables };

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

/** Local receivers are how development and tests work; in production they are how a request forgery starts. */
function allowPrivateWebhookUrls(nodeEnv: string, configured: boolean | undefined): boolean {
  if (configured && nodeEnv === 'production')
    throw new ConfigError('WEBHOOK_ALLOW_PRIVATE_URLS cannot be turned on in production');
  return configured ?? nodeEnv !== 'production';
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
    initiator: 'testapi',
    securityCredential: 'sandbox-security-credential',
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
  ratibaCollectionWaitHours: number;
  retryDays: string;
}

/**
 * eTIMS is off unless ETIMS_ENABLED (docs/tax.md). On, it needs the seller's KRA PIN (the device is registered under
 * it) and the first issue date to send; in production also the control unit's URL and communication key. Elsewhere
 * an unset URL means the local stand-in `npm start` runs (sandboxes/etims).
 */
function etimsSettings(
  nodeEnv: string,
  value: (name: VariableName) => unknown,
  sellerPin: string | null,
  sandboxPort: number,
) {
  if (!value('ETIMS_ENABLED')) return null;
  const production = nodeEnv === 'production';
  const required = (name: VariableName, why: string) => {
    if (!value(name)) throw new ConfigError(`${name} is required when ETIMS_ENABLED is true: ${why}`);
  };
  if (!sellerPin)
    throw new ConfigError(
      'SELLER_KRA_PIN is required when ETIMS_ENABLED is true: eTIMS devices are registered under it',
    );
  required('ETIMS_SUBMIT_FROM', 'invoices issued from that day on are sent (earlier ones were reported another way)');
  if (production) {
    required('ETIMS_URL', "the control unit's base URL");
    required('ETIMS_CMC_KEY', 'the communication key KRA issued when the device was initialized');
  }
  const url = value('ETIMS_URL') as string | undefined;
  return {
    url: url ?? `http://127.0.0.1:${sandboxPort}`,
    /** No URL given: `npm start` runs the local stand-in there. */
    localSandbox: !url,
    tin: sellerPin,
    branchId: value('ETIMS_BRANCH_ID') as string,
    communicationKey: (value('ETIMS_CMC_KEY') as string | undefined) ?? 'local-etims-sandbox-key',
    qrBaseUrl: value('ETIMS_QR_BASE_URL') as string,
    classificationCode: value('ETIMS_ITEM_CLASSIFICATION_CODE') as string,
    /** Midnight UTC of ETIMS_SUBMIT_FROM. */
    submitFrom: new Date(`${value('ETIMS_SUBMIT_FROM') as string}T00:00:00Z`),
  };
}

export type EtimsConfig = NonNullable<ReturnType<typeof etimsSettings>>;

/** Refunds by reversal need both settings; the local sandbox has its own. Unset: M-Pesa refunds fail, saying so. */
function mpesaReversal(value: (name: VariableName) => string | undefined, local: boolean) {
  const initiator = value('MPESA_INITIATOR_NAME') ?? (local ? LOCAL_SANDBOX.mpesa.initiator : undefined);
  const securityCredential =
    value('MPESA_SECURITY_CREDENTIAL') ?? (local ? LOCAL_SANDBOX.mpesa.securityCredential : undefined);
  if (Boolean(value('MPESA_INITIATOR_NAME')) !== Boolean(value('MPESA_SECURITY_CREDENTIAL'))) {
    throw new ConfigError('MPESA_INITIATOR_NAME and MPESA_SECURITY_CREDENTIAL must be set together');
  }
  if (!initiator || !securityCredential) return null;
  // B2C (partial refunds) pays from the B2C shortcode; the local sandbox, like Daraja's, has one for both.
  const b2cShortCode = value('MPESA_B2C_SHORTCODE') ?? value('MPESA_SHORTCODE') ?? '174379';
  return { initiator, securityCredential, b2cShortCode };
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
          reversal: mpesaReversal(value, mpesaLocal),
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
    /** How long a renewal waits for an M-Pesa Ratiba order's collection before prompting (docs/ratiba.md). */
    ratibaCollectionWaitHours: defaults.ratibaCollectionWaitHours,
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
      /** Where the admin console links a subscription's workflow; absent: no link. */
      uiUrl: (read(env, 'TEMPORAL_UI_URL') as string | undefined) ?? null,
      taskQueue: get('TEMPORAL_TASK_QUEUE'),
      uiPort: get('TEMPORAL_UI_PORT'),
      cliPath: read(env, 'TEMPORAL_CLI_PATH') as string | undefined,
      testServerPath: read(env, 'TEMPORAL_TEST_SERVER_PATH') as string | undefined,
    },
    worker: {
      maxConcurrentActivities: get('WORKER_MAX_CONCURRENT_ACTIVITIES'),
      maxConcurrentWorkflowTasks: get('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'),
      maxCachedWorkflows: get('WORKER_MAX_CACHED_WORKFLOWS'),
      stickyQueueTimeoutMs: get('WORKER_STICKY_QUEUE_TIMEOUT_MS'),
    },
    auth: {
      jwtSecret: jwtSecret(nodeEnv, read(env, 'JWT_SECRET') as string | undefined),
      accessTokenTtlSeconds: get('ACCESS_TOKEN_TTL_SECONDS'),
      refreshTokenTtlDays: get('REFRESH_TOKEN_TTL_DAYS'),
      /** API keys whose callers an API process keeps in memory (src/auth/apiKeyCache.ts); 0 looks each up. */
      apiKeyCacheSize: get('API_KEY_CACHE_SIZE'),
    },
    security: {
      corsOrigins: get('CORS_ORIGINS'),
      tls: tlsFiles(read(env, 'TLS_CERT_FILE') as string | undefined, read(env, 'TLS_KEY_FILE') as string | undefined),
      rateLimitPerMinute: get('RATE_LIMIT_PER_MINUTE'),
      loginAttemptsPerMinute: get('LOGIN_ATTEMPTS_PER_MINUTE'),
    },
    billing: {
      pastDueGraceDays: get('PAST_DUE_GRACE_DAYS'),
      /** Entitlement rows kept in memory (src/billing/entitlementCache.ts); 0 reads SQL every time. */
      entitlementCacheSize: get('ENTITLEMENT_CACHE_SIZE'),
      minutePlans: minutePlans(nodeEnv, read(env, 'MINUTE_PLANS') as boolean | undefined),
      tax: { rateBasisPoints: get('TAX_RATE_BASIS_POINTS'), name: get('TAX_NAME') },
    },
    /** Who issues invoices and credit notes, as registered with KRA (src/invoices/sellerFromConfig.ts). */
    seller: {
      name: (read(env, 'SELLER_NAME') as string | undefined) ?? null,
      kraPin: (read(env, 'SELLER_KRA_PIN') as string | undefined) ?? null,
      addressLines: ((read(env, 'SELLER_ADDRESS') as string | undefined) ?? '')
        .split(';')
        .map((line) => line.trim())
        .filter(Boolean),
    },
    /** Sending each finalized invoice to KRA's eTIMS (src/tax/etims/); null when off. */
    etims: etimsSettings(
      nodeEnv,
      (name) => read(env, name),
      (read(env, 'SELLER_KRA_PIN') as string | undefined) ?? null,
      get('ETIMS_SANDBOX_PORT'),
    ),
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
      ratibaCollectionWaitHours: get('RATIBA_COLLECTION_WAIT_HOURS'),
      retryDays: get('PAYMENT_RETRY_DAYS'),
    }),
    sandboxes: {
      mpesaPort: get('MPESA_SANDBOX_PORT'),
      paypalPort: get('PAYPAL_SANDBOX_PORT'),
      etimsPort: get('ETIMS_SANDBOX_PORT'),
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
    webhooks: {
      /** Under NODE_ENV=test only an explicit WEBHOOK_DELIVERY=true delivers, like SMTP_URL for notices. */
      deliver: (read(env, 'WEBHOOK_DELIVERY') as boolean | undefined) ?? nodeEnv !== 'test',
      concurrency: get('WEBHOOK_CONCURRENCY'),
      timeoutMs: get('WEBHOOK_TIMEOUT_MS'),
      allowPrivate: allowPrivateWebhookUrls(nodeEnv, read(env, 'WEBHOOK_ALLOW_PRIVATE_URLS') as boolean | undefined),
    },
    metrics: {
      /** A bearer token that opens /metrics on the API's own port in production. */
      token: (read(env, 'METRICS_TOKEN') as string | undefined) ?? null,
      host: get('METRICS_HOST'),
      /** The API's metrics-only listener on METRICS_HOST; 0: none (then /metrics is on the API's port). */
      port: get('METRICS_PORT'),
      /** The worker's metrics listener on METRICS_HOST; 0: none. The SDK's own exporter binds the next port. */
      workerPort: get('WORKER_METRICS_PORT'),
    },
    tracing: {
      /** Off (no tracer, no spans) unless an OTLP/HTTP collector is named. */
      otlpEndpoint: (read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') as string | undefined) ?? null,
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
